"""Stage 5, publish: a ``Briefing`` in, files and e-mail out.

``render`` writes Markdown and HTML (Jinja templates, overridable) and ``jsonio``
the JSON (and reads it back); ``files`` replaces output files only once all are
written; ``archive`` keeps the dated briefings linked and the index; ``mail``
builds the e-mail message and ``smtp`` sends it.
"""

from .archive import update_archive
from .jsonio import briefing_to_dict, load_briefing, render_json
from .mail import build_message, send_briefing
from .render import make_environment, render_html, render_markdown, write_outputs
from .smtp import EmailSettings, MailError, send

__all__ = [
    "EmailSettings",
    "MailError",
    "briefing_to_dict",
    "build_message",
    "load_briefing",
    "make_environment",
    "render_html",
    "render_json",
    "render_markdown",
    "send",
    "send_briefing",
    "update_archive",
    "write_outputs",
]
