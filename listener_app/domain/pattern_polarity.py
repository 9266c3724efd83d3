"""TextBlob's polarity, the same figure `textblob.en.sentiment(text)[0]` (pattern's analyzer,
textblob 0.20) gives, in about a third of the time and without loading nltk.

The library's tokenizer runs seven regular-expression substitutions for contractions and a
hundred-emoticon pattern on every sentence, and its analyzer reaches every lexicon entry through
a lazily loaded dictionary whose every lookup is a Python call. This tokenizes the same way with
plain string operations (running the emoticon and sarcasm patterns only on sentences that can
hold a spaced-out emoticon or "( ! )") and reads a plain copy of the lexicon, loaded once.
Pattern's module (textblob/_text.py, standard library only) is loaded on its own: through the
textblob package it would bring nltk, 17 MB in every worker process of an import.
tests/domain/test_fast_scorers.py compares the two.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from listener_app.domain.patterns import cues


def _load_pattern() -> ModuleType:
    """Pattern's module from its file, without the textblob package; in the packaged app, whose
    modules are not files, through the package."""
    package = importlib.util.find_spec("textblob")  # found, not imported
    source = Path(package.origin).parent / "_text.py" if package and package.origin else None
    if source is None or not source.is_file():
        return importlib.import_module("textblob._text")
    spec = importlib.util.spec_from_file_location("listener_app.domain._pattern_text", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_text = _load_pattern()
_LEXICON_FILE = Path(_text.__file__).parent / "en" / "en-sentiment.xml"
_NEGATIONS = ("no", "not", "n't", "never")  # textblob.en's analyzer's settings
_MODIFIERS = ("RB",)


class _EnglishSentiment(_text.Sentiment):  # type: ignore[misc,name-defined]
    """textblob.en.Sentiment: pattern's analyzer, with the adverbs of its adjectives added."""

    def load(self, path: Any = None) -> None:
        _text.Sentiment.load(self, path)
        if not path:  # Map "terrible" to adverb "terribly" (+1% accuracy)
            for w, pos in list(dict.items(self)):
                if "JJ" in pos:
                    if w.endswith("y"):
                        w = w[:-1] + "i"
                    if w.endswith("le"):
                        w = w[:-2]
                    p, s, i = pos["JJ"]
                    self.annotate(w + "ly", "RB", p, s, i)


_EOS = _text.EOS
_PUNCTUATION = tuple(_text.PUNCTUATION.replace(".", ""))
_LEADING = frozenset(_PUNCTUATION)
_TRAILING = frozenset((*_PUNCTUATION, "."))
_REPLACE = _text.replacements
_ABBREVIATIONS = _text.ABBREVIATIONS
_ABBREVIATED = (_text.RE_ABBR1, _text.RE_ABBR2, _text.RE_ABBR3)
_LINEBREAK = re.compile(r"\n{2,}")
_ENDS = ("...", ".", "!", "?", _EOS)
_CLOSING = frozenset(("'", '"', "”", "’", "...", ".", "!", "?", ")", _EOS))
_QUOTES = (("“", " “ "), ("”", " ” "), ("‘", " ‘ "), ("’", " ’ "), ("'", " ' "), ('"', ' " '))
# The emoticon pattern only changes a sentence where it joins an emoticon the tokenizer split
# (": )" back to ":)"): where it finds a face written with a space between two of its characters
# (and a space or the end after it). Where no such face is in the whole text's words, none is in
# any of its sentences (each is a stretch of them), and the sentences need not be found at all.
# Looking only for pairs of a face's characters around a space sent half of all posts that long
# way ("o b", ". S").
_FACES = [face for faces in _text.EMOTICONS.values() for face in faces]


def _spaced(face: str) -> Iterator[str]:
    """Patterns of `face` as the library's emoticon pattern finds it (a space or none between
    its characters), each with a space at one more place."""
    chars = [re.escape(char) for char in face]
    for gap in range(1, len(chars)):
        yield " ?".join(chars[:gap]) + " " + " ?".join(chars[gap:]) + r"(?=$|\s)"


_SPACED_EMOTICON = cues("|".join(dict.fromkeys(pattern for face in _FACES for pattern in _spaced(face))))


# Most tokens with punctuation at either end repeat (a sentence's last word and its full stop, a
# lone quote), and splitting one took 2 us, a sixth of a post's tokenizing: the splits of the
# last SPLITS_KEPT of them are kept (about 1.5 MB).
SPLITS_KEPT = 10_000


@lru_cache(maxsize=SPLITS_KEPT)
def _split_off_punctuation(token: str) -> tuple[str, ...]:
    """The library's handling of a token with punctuation at either end (find_tokens)."""
    head: list[str] = []
    tail: list[str] = []
    while token.startswith(_PUNCTUATION) and token not in _REPLACE:
        head.append(token[0])
        token = token[1:]
    while token.endswith((*_PUNCTUATION, ".")) and token not in _REPLACE:
        if token.endswith(_PUNCTUATION):
            tail.append(token[-1])
            token = token[:-1]
        if token.endswith("..."):
            tail.append("...")
            token = token[:-3].rstrip(".")
        if token.endswith("."):
            if token in _ABBREVIATIONS or any(pattern.match(token) is not None for pattern in _ABBREVIATED):
                break
            tail.append(token[-1])
            token = token[:-1]
    if token != "":
        head.append(token)
    return (*head, *reversed(tail))


def tokens(text: str) -> list[str]:
    """The words pattern's analyzer reads in `text`: the library's find_tokens, joined and split."""
    for contraction, spaced in _REPLACE.items():
        if contraction in text:
            text = text.replace(contraction, spaced)
    for quote, spaced in _QUOTES:
        if quote in text:
            text = text.replace(quote, spaced)
    if "\n" in text:
        text = _LINEBREAK.sub(f" {_EOS} ", text.replace("\r\n", "\n"))
    found: list[str] = []
    for token in text.split():
        if token[0] not in _LEADING and token[-1] not in _TRAILING:
            found.append(token)
        elif (
            len(token) > 1
            and token[-1] in _LEADING
            and token[0] not in _LEADING
            and token[-2] not in _TRAILING
        ):
            found += (token[:-1], token[-1])  # "word," as _split_off_punctuation splits it, faster
        else:
            found += _split_off_punctuation(token)
    # Each sentence below is a stretch of these words (a ")" after a break joins the one before).
    words = [token for token in found if token != _EOS]
    joined = " ".join(words)
    if "(!" not in joined and "( !" not in joined and _SPACED_EMOTICON.search(joined) is None:
        # Nothing the sentence patterns below would change: sentences do not matter then.
        return words
    sentences: list[list[str]] = [[]]
    i = j = 0
    while j < len(found):
        if found[j] in _ENDS:
            while j < len(found) and found[j] in _CLOSING:
                if found[j] in ("'", '"') and sentences[-1].count(found[j]) % 2 == 0:
                    break  # balanced quotes
                j += 1
            sentences[-1].extend(t for t in found[i:j] if t != _EOS)
            sentences.append([])
            i = j
        j += 1
    sentences[-1].extend(found[i:j])
    words: list[str] = []
    for sentence in sentences:
        if not sentence:
            continue
        joined = " ".join(sentence)
        if "(!" in joined or "( !" in joined:
            joined = _text.RE_SARCASM.sub("(!)", joined)
        if _SPACED_EMOTICON.search(joined) is not None:
            joined = _text.RE_EMOTICONS.sub(lambda m: m.group(1).replace(" ", "") + m.group(2), joined)
        words.extend(joined.split())
    return words


@cache
def _lexicon() -> tuple[dict[str, tuple[float, float]], frozenset[str], dict[str, float]]:
    """(polarity and intensity of each known word, the words that modify the next one, the
    polarity of each emoticon), read once from pattern's analyzer, loaded as textblob loads it."""
    analyzer = _EnglishSentiment(path=str(_LEXICON_FILE), synset="wordnet_id", negations=_NEGATIONS)
    analyzer.load()
    words = {word: (tags[None][0], tags[None][2]) for word, tags in dict.items(analyzer) if None in tags}
    modifiers = frozenset(
        word for word, tags in dict.items(analyzer) if any(map(tags.__contains__, _MODIFIERS))
    )
    emoticons: dict[str, float] = {}
    for (_, polarity), faces in _text.EMOTICONS.items():
        for face in faces:
            emoticons.setdefault(face.lower(), polarity)
    return words, modifiers, emoticons


def polarity(text: str) -> float:
    """Pattern's polarity of `text`: the mean of its assessments (a known word, with the
    modifier or negation before it), 0.0 when there are none."""
    known, modifiers, emoticons = _lexicon()
    negations = frozenset(_NEGATIONS)
    # Each assessment: [polarity, intensity, negated]; the library's "Known word..." comments.
    assessments: list[list[float]] = []
    modifier: str | None = None
    negation: str | None = None
    for word in map(str.lower, tokens(text)):
        entry = known.get(word)
        if entry is not None:
            score, intensity = entry
            if modifier is None:
                assessments.append([score, intensity, 1])
            else:
                last = assessments[-1]
                last[0] = max(-1.0, min(score * last[1], +1.0))
                last[1] = intensity
            if negation is not None:
                last = assessments[-1]
                last[1] = 1.0 / last[1]
                last[2] = -1
            modifier = word if word in modifiers else None
            negation = word if word in negations else None
            continue
        if negation is None and modifier is None and word.isalpha() and word not in negations:
            continue  # an unknown plain word with nothing pending: none of what follows applies
        if word in negations:
            negation = word
        elif negation and len(word.strip("'")) > 1:
            negation = None
        if negation is not None and modifier is not None and modifier.endswith("ly"):
            assessments[-1][2] = -1
            negation = None
        elif modifier and len(word) > 2:
            modifier = None
        if word == "!" and assessments:
            assessments[-1][0] = max(-1.0, min(assessments[-1][0] * 1.25, +1.0))
        if word == "(!)":
            assessments.append([0.0, 1.0, 1])
        if not word.isalpha() and len(word) <= 5 and word not in _text.PUNCTUATION:
            face = emoticons.get(word)
            if face is not None:
                assessments.append([face, 1.0, 1])
    total, count = 0, 0
    for score, _, negated in assessments:
        total += score * -0.5 if negated < 0 else score
        count += 1
    return total / float(count or 1)
