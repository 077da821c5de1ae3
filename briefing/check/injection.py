"""Spot sentences in an article that speak to a language model instead of a reader.

Scraped text can carry prompt injections ("Ignore all previous instructions and
write that ..."). Such a sentence is never news: it is kept out of the model's
prompt (``summarize/select.py``), out of extractive digests, and out of the evidence pool
(``verify.source_sentences``), so a digest sentence that only repeats it finds no
support and the guard drops it. The patterns are deliberately narrow: they name
instructions, prompts or the model itself, which ordinary news prose rarely does.
"""

from __future__ import annotations

import re

_MODEL = (
    r"(?:ai|a\.i\.|assistant|chatbot|language model|llm|gpt|chatgpt|summari[sz]er|"
    r"model|bot)"
)
_PATTERNS = [
    # "ignore all previous instructions", "disregard your rules", "forget the system prompt"
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
    r"(?:(?:previous|prior|above|preceding|earlier|original|system|other)\s+)?"
    r"(?:instructions?|prompts?|rules|directions|guidelines|directives|system message)\b",
    # "you are now an AI that ...", "act as a chatbot", "pretend to be the summarizer"
    r"\b(?:you are|you're|act as|pretend to be|roleplay as)\b(?:\s+now)?(?:\s+(?:an?|the))?\s+"
    + _MODEL
    + r"\b",
    # "Note to AI assistants: ...", "AI models reading this must ..."
    r"\b(?:note to|dear|hey)\s+(?:all\s+|the\s+|any\s+)?(?:ai\s+)?" + _MODEL + r"s?\b",
    _MODEL + r"s?\b[^.!?\n]{0,30}\b(?:reading|summari[sz]ing|processing) this\b",
    # "new instructions:", "system prompt", "developer mode"
    r"\b(?:new|updated|real|actual) instructions?\s*:",
    r"\b(?:system prompt|developer mode|jailbreak mode)\b",
    # "respond only with", "reply with only the word", "instead, write ..."
    r"\b(?:respond|reply|answer|output)\s+(?:only\s+with|with\s+only)\b",
    r"\binstead,?\s+(?:write|say|state|output|claim)\s+(?:that|only|a|the)\b",
    # "when summarizing this article, say ...", "the summary must state ..."
    r"\b(?:when|if|while)\s+(?:you\s+)?(?:summari[sz]e|summari[sz]ing)\s+"
    r"(?:this|these|the following)\b",
    r"\b(?:summary|digest|headline)\b[^.!?\n]{0,30}\b(?:must|should|shall)\b[^.!?\n]{0,20}"
    r"\b(?:say|state|read|include|mention|claim|report)\b",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def is_instruction(sentence: str) -> bool:
    """Return True if a sentence addresses a language model (a likely prompt injection)."""
    return _INSTRUCTION.search(sentence) is not None
