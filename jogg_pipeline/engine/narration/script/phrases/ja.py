"""Japanese frames (polite です・ます), in kana only.

The offline voice (espeak-ng's Japanese) reads kana but names every kanji ("Chinese letter")
instead of reading it, so the frames are written in hiragana and katakana, with digits and
Japanese punctuation, a space between phrases as kana-only text is written (the captions read
better, and the voice reports each phrase as a word). They also avoid the particles は and へ,
which the voice reads as "ha" and "he".
"""

from __future__ import annotations

from jogg_pipeline.engine.narration.script.phrases import Frames
from jogg_pipeline.engine.narration.script.stock import (
    BACKORDER,
    IN_STOCK,
    LIMITED,
    OUT_OF_STOCK,
    PREORDER,
)

FRAMES = Frames(
    language="japanese",
    this_product="この しょうひん",
    price="これだけ そろって {price}です。",
    brand="{brand}の せいひんです。",
    audience="{audience}に ぴったりです。",
    stock={
        IN_STOCK: "ざいこ ありで、すぐに おとどけ できます。",
        LIMITED: "ざいこ のこり わずかです。おはやめに どうぞ。",
        PREORDER: "ただいま ごよやく うけつけちゅうです。",
        BACKORDER: "ただいま おとりよせちゅうです。おはやめの ごよやくを おすすめします。",
        OUT_OF_STOCK: "ただいま しなぎれちゅうです。",
    },
    reasons={
        "price": "わずか {price}で てに はいります。",
        "brand": "{brand}の せいひんなので あんしんです。",
        "audience": "{audience}に ぴったりです。",
        IN_STOCK: "ざいこ ありで、すぐに おとどけ できます。",
        LIMITED: "ざいこが ある いまが チャンスです。",
        PREORDER: "きょうから ごよやく いただけます。",
        BACKORDER: "いまなら おとりよせで ごちゅうもん いただけます。",
    },
    cta={
        OUT_OF_STOCK: "おきにいりに とうろくして、さいにゅうかを おまち ください。",
        PREORDER: "ぜひ きょう ごよやく ください。",
        BACKORDER: "ぜひ きょう ごちゅうもん ください。",
    },
    styles={
        "dont_worry": {
            "hook": "{name}、まよって いませんか？ ごあんしん ください。",
            "bridge": "しって おきたい ポイントを まとめました。",
            "points": ("まず、{point}", "さらに、{point}", "それに、{point}", "{point}"),
            "close": "むずかしい ことなんて ひとつも ありません。",
            "cta": "あんしんして、きょう ごちゅうもん ください。",
        },
        "discovery": {
            "hook": "きょうの はっけん、それが {name}です。",
            "bridge": "さっそく くわしく みて みましょう。",
            "points": (
                "まず きづく ポイント：{point}",
                "よく みると：{point}",
                "さらに：{point}",
                "{point}",
            ),
            "close": "これで {name}の みりょくが わかりましたね。",
            "cta": "ぜひ きょう、その よさを たしかめて ください。",
        },
        "data": {
            "hook": "すうじで みる {name}。",
            "points": (
                "データ その1：{point}",
                "データ その2：{point}",
                "データ その3：{point}",
                "さらに：{point}",
            ),
            "price": "かかく：{price}。",
            "brand": "ブランド：{brand}。",
            f"stock.{IN_STOCK}": "ざいこ：あり。",
            f"stock.{LIMITED}": "ざいこ：のこり わずか。",
            f"stock.{PREORDER}": "ざいこ：よやく うけつけちゅう。",
            f"stock.{BACKORDER}": "ざいこ：おとりよせ。",
            f"stock.{OUT_OF_STOCK}": "ざいこ：ただいま しなぎれ。",
            "close": "すうじが すべてを ものがたって います。",
            "cta": "くわしく チェックして、きょう ごちゅうもん ください。",
        },
        "top_three": {
            "hook": "{name}を えらぶ みっつの りゆう。",
            "hook.2": "{name}を えらぶ ふたつの りゆう。",
            "hook.1": "{name}を えらぶ おおきな りゆう。",
            "hook.0": "{name}に ちゅうもくする りゆうを ごしょうかいします。",
            "points": ("りゆう その1：{point}", "りゆう その2：{point}", "りゆう その3：{point}"),
            "bonus": ("さらに おまけ：{point}", "{point}"),
            "close": "これだけ そろえば なっとくですよね。",
            "cta": "ぜひ きょう ごちゅうもん ください。",
        },
        "soft_selling": {
            "hook": "すこしだけ、{name}を ごしょうかい させて ください。",
            "bridge": "おしうり なしで、ありのままを おつたえします。",
            "points": ("わたしたちの おきにいり：{point}", "{point}"),
            "close": "ゆっくり かんがえて、なっとく できたら きめて ください。",
            "cta": "その きに なったら、きょうから ごちゅうもん いただけます。",
        },
        "humor": {
            "hook": "わたし：あたらしい ものなんて、もう いらない。",
            "turn": "5びょうご、{name}を みた わたし：これ、ほしい。",
            "points": (
                "しょうこ その1：{point}",
                "しょうこ その2：{point}",
                "しょうこ その3：{point}",
                "{point}",
            ),
            "price": "しかも {price}なら、おさいふも ひとあんしん。",
            "close": "おさいふが ないても、こころが えがおなら だいじょうぶ。",
            "cta": "まよわず、きょう ごちゅうもん ください。",
        },
        "feature_explainer": {
            "hook": "{name}の きのうを、ひとつずつ ごせつめいします。",
            "points": (
                "きのう その1：{point}",
                "きのう その2：{point}",
                "きのう その3：{point}",
                "さらに：{point}",
            ),
            "close": "いじょう、{name}の ごしょうかいでした。",
            "cta": "しくみが わかったら、きょう ごちゅうもん ください。",
        },
        "twist": {
            "hook": "いつもと かわらない、ある いちにちの ことでした。",
            "setup": "ある ひとが ぴったりの ものを さがして いましたが、"
            "なかなか みつかりませんでした。",
            "found": "そこに あらわれたのが、{name}です。",
            "points": ("{point}",),
            "price": "しかも、これだけ そろって {price}。",
            "twist": "じつを いうと、この ものがたり、ずっと あなたの おはなし だったのです。",
            "cta": "きょう、この ものがたりを あなたの ものに して ください。",
        },
        "expert": {
            "hook": "プロの アドバイス：かう まえに、だいじな ポイントを みて ください。",
            "bridge": "{name}で わたしが かならず チェックする ポイントです。",
            "points": (
                "まず、{point}",
                "つぎに、{point}",
                "みのがせない ポイント：{point}",
                "{point}",
            ),
            "audience": "わたしからの アドバイス：{audience}に かしこい せんたくです。",
            "close": "けいけんから いえます。えらんで まちがい ありません。",
            "cta": "かしこく えらんで、きょう ごちゅうもん ください。",
        },
        "unboxing": {
            "hook": "かいふうの じかんです！ きょう とどいたのが、{name}です。",
            "bridge": "さっそく はこを あけて みましょう。",
            "points": (
                "だいいち いんしょう：{point}",
                "ちかくで みると：{point}",
                "とくに いんしょうてきな ところ：{point}",
                "{point}",
            ),
            "price": "これだけ そろって {price}です。",
            "verdict": "わたしの ひょうか：もんくなしの ごうかくです。",
            "cta": "きょう ごちゅうもんして、ごじぶんで あけて みて ください。",
        },
        "comparison": {
            "hook": "{name}と、いつもの せんたくしを くらべて みましょう。",
            "usual": "いつもの せんたくしでも、いちおう ことたります。",
            "points": ("ここが ちがいます：{point}", "さらに：{point}", "{point}"),
            "without": "なしで すませたら、これだけの ものを のがして しまいます。",
            "price": "ねだんも はっきり：{price}。",
            "close": "ならべて みれば、こたえも あきらかです。",
            "cta": "きょうから のりかえましょう。",
        },
        "challenge": {
            "hook": "チャレンジです。{name}を こえる ものを さがして みて ください。",
            "bridge": "じゅんび いいですか？ スタート！",
            "points": (
                "これを こえられますか？{point}",
                "つづいて、これ：{point}",
                "さらに：{point}",
            ),
            "close": "まだ さがして いますか？ やっぱりね。",
            "engage": "もっと いい ものが みつかったら、コメントで おしえて ください。",
            "cta": "チャレンジの けっかに なっとく したら、きょう ごちゅうもん ください。",
        },
        "problem_solution": {
            "problem": "なかなか まんぞく できる ものが みつからず、こまって いませんか？",
            "solution": "その かいけつさくが、{name}です。",
            "points": ("こんなふうに やくだちます：{point}", "さらに：{point}", "{point}"),
            "close": "これで もんだい かいけつです。",
            "cta": "きょう ごちゅうもんして、すっきり かいけつしましょう。",
        },
        "creative": {
            "hook": "もし、まいにち つかう ものを ゼロから かんがえなおしたら？",
            "reveal": "その こたえが、{name}です。",
            "points": ("アイデア その1：{point}", "アイデア その2：{point}", "{point}"),
            "close": "ただ あたらしい だけでなく、ものの みかたまで かえて くれます。",
            "cta": "いつもと ちがう ものを、きょう ごちゅうもん ください。",
        },
        "emotional": {
            "hook": "なにかの おかげで まいにちが すこし らくに なる、あの かんかく。"
            "だれもが しって いますよね。",
            "bridge": "そんな しゅんかんの ために うまれたのが、{name}です。",
            "points": ("きっと かんじる はずです：{point}", "{point}"),
            "audience": "{audience}の ことを おもって つくられました。",
            "close": "えらんだ ものに、こころから まんぞく して ほしいから。",
            "cta": "きょう、じぶんに ごほうびを どうぞ。",
        },
        "immersive": {
            "hook": "すこしだけ、めを とじて みて ください。",
            "bridge": "{name}の ある いちにちを おもいうかべて ください。",
            "points": (
                "すぐに きづく はずです：{point}",
                "それから こまかな ところ：{point}",
                "そして：{point}",
                "{point}",
            ),
            "close": "さあ、めを あけて ください。すべて ほんものです。",
            "cta": "きょう ごちゅうもんして、まいにちの いちぶに して ください。",
        },
    },
)
