"""Jinja templates in specs: a sandbox where undefined names are errors, and the checks that
can be made before anything runs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes, pass_context
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum

from jogg_pipeline.spec.limits import MAX_RENDERED_CHARS
from jogg_pipeline.spec.suggest import did_you_mean
from jogg_pipeline.spec.template_limits import (
    Budget,
    TemplateLimit,
    check_binop,
    check_filter,
    check_lipsum,
    check_method,
    check_range,
    counted,
    current_budget,
    produced,
    step,
)

# What a product can hold: the wire fields of the API, and the details our local engine adds.
PRODUCT_FIELDS = ("product_id", "url", "name", "description", "target_audience", "media", "details")
# Names every template sees; `video` only in video fields (override_script, video_name).
PRODUCT_NAMES = ("product", "vars", "campaign", "key", "url")
VIDEO_NAMES = (*PRODUCT_NAMES, "video")


class TemplateError(Exception):
    """A template failed to render; the message says which name or what went wrong.

    `detail` is the reason alone (for an undefined name, Jinja's own words, such as
    "'dict object' has no attribute 'brand'"), for callers that say where the template is.
    """

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail or message


# Filters wrapped in by the environment: every loop's items and every output are counted.
_LOOP_FILTER = "__counted_loop"
_OUTPUT_FILTER = "__counted_output"
_SIZED_FILTERS = ("center", "indent", "format", "replace", "join", "slice", "batch")


@pass_context
def _counted_loop(_: Context, iterable: Any) -> Any:
    return counted(iterable)


@pass_context  # also keeps the compiler from folding outputs at compile time
def _counted_output(_: Context, value: Any) -> Any:
    produced(value)
    return value


def _sized_filter(name: str, function: Any) -> Any:
    def checked(*args: Any, **kwargs: Any) -> Any:
        # Filters that take the context or environment get it first; the value follows.
        skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0
        value = args[skip] if len(args) > skip else None
        check_filter(name, value, args[skip + 1 :], kwargs)
        return function(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(function, attribute):
            setattr(checked, attribute, getattr(function, attribute))
    return checked


def _range(*args: Any) -> range:
    check_range(*args)
    return range(*args)


def _lipsum(*args: Any, **kwargs: Any) -> str:
    check_lipsum(*args, **kwargs)
    return generate_lorem_ipsum(*args, **kwargs)


class _BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with a limit on the size of what each operation makes and a budget of work
    per rendering (see template_limits)."""

    # Intercepted operators are also never folded at compile time, where `[1] * 10**9` would
    # be evaluated while a spec is only being checked.
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _range
        self.globals["lipsum"] = _lipsum
        for name in _SIZED_FILTERS:
            self.filters[name] = _sized_filter(name, self.filters[name])
        self.filters[_LOOP_FILTER] = _counted_loop
        self.filters[_OUTPUT_FILTER] = _counted_output

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        step()
        check_method(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None)
        for output in list(tree.find_all(nodes.Output)):
            output.nodes = [
                nodes.Filter(item, _OUTPUT_FILTER, [], [], None, None) for item in output.nodes
            ]
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [
                nodes.Filter(item, _OUTPUT_FILTER, [], [], None, None) for item in concat.nodes
            ]
        return tree


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    return _BudgetedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )


@dataclass(frozen=True)
class TemplateIssue:
    message: str
    is_error: bool = True


@lru_cache(maxsize=4096)
def _parse(source: str) -> nodes.Template:
    return environment().parse(source)


@dataclass(frozen=True)
class _Analysis:
    syntax_error: str | None
    free_names: frozenset[str] = frozenset()
    attributes: frozenset[tuple[str, str]] = frozenset()
    product_reads: frozenset[tuple[str, ...]] = frozenset()
    too_costly: str | None = None


@lru_cache(maxsize=4096)
def _analyse(source: str) -> _Analysis:
    """What a template refers to; cached because campaigns repeat the same templates."""
    try:
        tree = _parse(source)
        # Finding the free names compiles the template, which also finds unknown filters.
        free_names = _free_names(tree)
    except TemplateSyntaxError as error:
        where = f" (template line {error.lineno})" if "\n" in source.strip() else ""
        return _Analysis(f"template syntax error: {error.message}{where}")
    return _Analysis(
        None,
        frozenset(free_names),
        frozenset(_attributes(tree)),
        frozenset(_product_reads(tree)),
        _too_costly(tree),
    )


def is_template(source: str) -> bool:
    return "{{" in source or "{%" in source or "{#" in source


def product_reads(source: str) -> frozenset[tuple[str, ...]]:
    """The product fields a template reads, as paths: `product.details.brand` is
    ("details", "brand"); only the longest path of each chain is kept."""
    if not is_template(source):
        return frozenset()
    return _analyse(source).product_reads


def check_template(
    source: str,
    *,
    names: Iterable[str],
    var_names: Iterable[str],
    video_fields: Iterable[str] = (),
) -> list[TemplateIssue]:
    """Check syntax and every name that can be known before the product is fetched."""
    if not is_template(source):
        return []
    analysis = _analyse(source)
    if analysis.syntax_error:
        return [TemplateIssue(analysis.syntax_error)]
    if analysis.too_costly:
        return [TemplateIssue(f"template too costly: {analysis.too_costly}")]
    names = tuple(names)
    var_names = tuple(var_names)
    issues: list[TemplateIssue] = []
    for name in sorted(analysis.free_names):
        if name in names or name in environment().globals:
            continue
        hint = did_you_mean(name, names)
        if name == "video" and "video" not in names:
            issues.append(
                TemplateIssue(
                    "'video' is not available here; it is known in override_script and video_name"
                )
            )
        else:
            issues.append(
                TemplateIssue(
                    f"template uses undefined name {name!r}{hint} (known: {', '.join(names)})"
                )
            )
    for base, attribute in sorted(analysis.attributes):
        if base == "vars" and attribute not in var_names:
            known = ", ".join(sorted(var_names)) or "none defined"
            issues.append(
                TemplateIssue(
                    f"template uses undefined var {attribute!r}"
                    f"{did_you_mean(attribute, var_names)} (vars: {known})"
                )
            )
        elif base == "video" and "video" in names and attribute not in video_fields:
            issues.append(
                TemplateIssue(
                    f"template uses unknown video setting {attribute!r}"
                    f"{did_you_mean(attribute, video_fields)}"
                )
            )
        elif base == "product" and attribute not in PRODUCT_FIELDS:
            issues.append(
                TemplateIssue(
                    f"product.{attribute} is not a field any backend is known to return"
                    f"{did_you_mean(attribute, PRODUCT_FIELDS)}; "
                    "the run stops with an error if the product lacks it",
                    is_error=False,
                )
            )
    return issues


@lru_cache(maxsize=4096)
def _compiled(source: str) -> Template:
    return environment().from_string(source)


def render(source: str, context: Mapping[str, Any]) -> str:
    """`source` rendered within the template budget; TemplateError if it fails or exceeds it."""
    if not is_template(source):
        return source
    token = current_budget.set(Budget())
    try:
        rendered = _compiled(source).render(context)
    except TemplateLimit as error:
        raise TemplateError(f"template too costly: {error}", str(error)) from None
    except UndefinedError as error:
        detail = str(error.message)
        raise TemplateError(f"undefined name in template: {detail}", detail) from None
    except SecurityError as error:
        raise TemplateError(f"template not allowed: {error}") from None
    except Exception as error:  # any runtime error inside user's template, e.g. a bad filter
        raise TemplateError(f"template failed: {error}") from None
    finally:
        current_budget.reset(token)
    if len(rendered) > MAX_RENDERED_CHARS:
        detail = (
            f"it renders {len(rendered):,} characters, more than the {MAX_RENDERED_CHARS:,} "
            "a field may hold"
        )
        raise TemplateError(f"template too costly: {detail}", detail)
    return rendered


def _free_names(tree: nodes.Template) -> set[str]:
    from jinja2 import meta

    return set(meta.find_undeclared_variables(tree))


def _lookups(tree: nodes.Template) -> Iterator[nodes.Getattr | nodes.Getitem]:
    """Every `a.b` and `a[b]` of the template."""
    # jinja2 types find_all of several node types as their common base class, Expr.
    return cast(
        "Iterator[nodes.Getattr | nodes.Getitem]", tree.find_all((nodes.Getattr, nodes.Getitem))
    )


def _attributes(tree: nodes.Template) -> set[tuple[str, str]]:
    """`vars.x` and `vars['x']` uses, as (base, attribute) pairs."""
    found: set[tuple[str, str]] = set()
    for node in _lookups(tree):
        base = node.node
        if not isinstance(base, nodes.Name) or base.ctx != "load":
            continue
        if isinstance(node, nodes.Getattr):
            found.add((base.name, node.attr))
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            found.add((base.name, node.arg.value))
    return found


def _product_reads(tree: nodes.Template) -> set[tuple[str, ...]]:
    chains: set[tuple[str, ...]] = set()
    for node in _lookups(tree):
        chain: list[str] = []
        current: nodes.Node = node
        while True:
            if isinstance(current, nodes.Getattr):
                chain.append(current.attr)
            elif (
                isinstance(current, nodes.Getitem)
                and isinstance(current.arg, nodes.Const)
                and isinstance(current.arg.value, str)
            ):
                chain.append(current.arg.value)
            else:
                break
            current = current.node
        if isinstance(current, nodes.Name) and current.name == "product" and chain:
            chains.add(tuple(reversed(chain)))
    return {c for c in chains if not any(len(o) > len(c) and o[: len(c)] == c for o in chains)}


# --- what can be known of a template's cost before it runs ------------------------------------


class _NotConstant(Exception):
    pass


_BINOPS = {nodes.Mul: "*", nodes.Pow: "**", nodes.Add: "+", nodes.Mod: "%"}


def _constant(node: nodes.Node) -> Any:
    """The value of an expression made of literals, computed within the limits."""
    if isinstance(node, nodes.Const):
        return node.value
    if isinstance(node, nodes.List | nodes.Tuple):
        items = [_constant(item) for item in node.items]
        return items if isinstance(node, nodes.List) else tuple(items)
    if isinstance(node, nodes.Neg):
        return -_constant(node.node)
    if isinstance(node, nodes.BinExpr) and type(node) in _BINOPS:
        operator = _BINOPS[type(node)]
        left, right = _constant(node.left), _constant(node.right)
        check_binop(operator, left, right)
        try:
            return environment().binop_table[operator](left, right)
        except Exception:  # a type error and the like: rendering reports it
            raise _NotConstant from None
    raise _NotConstant


def _constants(arguments: list[nodes.Expr]) -> tuple[Any, ...]:
    return tuple(_constant(argument) for argument in arguments)


def _keyword_constants(keywords: list[nodes.Keyword]) -> dict[str, Any]:
    return {keyword.key: _constant(keyword.value) for keyword in keywords}


def _too_costly(tree: nodes.Template) -> str | None:
    """Why the template would exceed a limit whatever the product, or None: the operations
    whose operands are all literals are checked as rendering would check them."""
    for node in tree.find_all((nodes.Filter, nodes.Call, *_BINOPS)):
        try:
            if isinstance(node, nodes.Filter) and node.name in _SIZED_FILTERS:
                value = _constant(node.node) if node.node is not None else None
                # jinja2 annotates a filter's kwargs as Pair nodes; its parser makes Keywords.
                kwargs = _keyword_constants(cast("list[nodes.Keyword]", node.kwargs))
                check_filter(node.name, value, _constants(node.args), kwargs)
            elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                if node.node.name == "range":
                    check_range(*_constants(node.args))
                elif node.node.name == "lipsum":
                    kwargs = _keyword_constants(node.kwargs)
                    check_lipsum(*_constants(node.args), **kwargs)
            elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
                owner = _constant(node.node.node)
                kwargs = _keyword_constants(node.kwargs)
                check_method(getattr(owner, node.node.attr, None), _constants(node.args), kwargs)
            elif isinstance(node, tuple(_BINOPS)):
                _constant(node)
        except _NotConstant:
            continue
        except TemplateLimit as error:
            return str(error)
    return None
