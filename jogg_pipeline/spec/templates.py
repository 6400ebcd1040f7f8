"""Jinja templates in specs: a sandbox where undefined names are errors, and the checks that
can be made before anything runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from jogg_pipeline.spec.suggest import did_you_mean

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


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
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
    if not is_template(source):
        return source
    try:
        return _compiled(source).render(context)
    except UndefinedError as error:
        detail = str(error.message)
        raise TemplateError(f"undefined name in template: {detail}", detail) from None
    except SecurityError as error:
        raise TemplateError(f"template not allowed: {error}") from None
    except Exception as error:  # any runtime error inside user's template, e.g. a bad filter
        raise TemplateError(f"template failed: {error}") from None


def _free_names(tree: nodes.Template) -> set[str]:
    from jinja2 import meta

    return set(meta.find_undeclared_variables(tree))


def _attributes(tree: nodes.Template) -> set[tuple[str, str]]:
    """`vars.x` and `vars['x']` uses, as (base, attribute) pairs."""
    found: set[tuple[str, str]] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
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
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
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
