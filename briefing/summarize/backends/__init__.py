"""The built-in summarizer backends: each turns an event's articles into a ``Draft``.

``extractive`` (no model: the best source sentences), ``hf`` (the local chat model on
transformers) and ``llamacpp`` (the same model as a GGUF file on llama.cpp). The two
model backends share ``chat`` (prepare → generate → clean), ``prompting`` (the Jinja
prompts of ``prompts/``) and ``runtime`` (batching, speed figures).
"""

from .chat import ChatSummarizer
from .extractive import ExtractiveSummarizer

__all__ = [
    "ChatSummarizer",
    "ExtractiveSummarizer",
]
