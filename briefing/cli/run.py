"""`briefing fetch` and `briefing run` (fetch + build + e-mail, for cron or a systemd timer).

Exit status of both: 0 everything worked; 1 an error (bad config, unusable store,
build failed: message on one line); 2 a usage error; 3 partial: the command did
its job but some feed or page failed (reported, skipped) or, for `run`, the
e-mail could not be sent (the briefing is written, the message saved as .eml).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console

from ..errors import BriefingError
from ..ingest.fetch import Feed, FetchReport, fetch_all
from ..publish.mail import send_briefing
from ..publish.render import make_environment
from ..publish.smtp import MailError
from ..store.store import Store, open_database
from .config import Config, find_config
from .options import BuildFlags, FetchFlags, build_options, fetch_options, to_build_options
from .send import SmtpOptions, smtp_options

PARTIAL = 3
_PATH = click.Path(path_type=Path)
_err = Console(stderr=True, highlight=False)


def fetch_and_report(config: Config, feeds: tuple[Feed, ...] | None = None) -> FetchReport:
    """Fetch into the config's store and folder; print failures and a summary line."""
    feeds = config.feeds if feeds is None else feeds
    if not feeds:
        where = config.path or "the config file ($BRIEFING_HOME/config.toml)"
        raise BriefingError(f"no feeds to fetch: list them as feeds = [...] in {where} "
                            "or pass --feed URL")
    store = Store(open_database(config.db))
    try:
        report = fetch_all(feeds, config.fetch, store)
    finally:
        store.db.conn.close()
    for f in report.failures:
        via = f" (linked from {f.feed})" if f.feed else ""
        _err.print(f"failed {f.kind} {f.url}{via}: {f.reason}", markup=False, soft_wrap=True)
    click.echo(f"Fetched {len(report.written)} new articles from {report.feeds} feeds "
               f"({report.unchanged} unchanged), {report.known} already stored, "
               f"{len(report.failures)} failed.")
    return report


def _feeds(urls: tuple[str, ...]) -> tuple[Feed, ...] | None:
    for url in urls:
        if not url.lower().startswith(("http://", "https://")):
            raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint="--feed")
    return tuple(Feed(u) for u in urls) or None


@click.command("fetch")
@click.option("--feed", "feed_urls", multiple=True, metavar="URL",
              help="Fetch this feed instead of the configured ones (repeatable).")
@click.option("--db", "db_path", type=_PATH, envvar="BRIEFING_DB", show_envvar=True,
              help="SQLite database (default: $BRIEFING_HOME/briefing.db).")
@fetch_options
@click.option("--config", "config_path", type=_PATH, envvar="BRIEFING_CONFIG", show_envvar=True,
              help="Config file (default: $BRIEFING_HOME/config.toml if present).")
@click.pass_context
def fetch(ctx: click.Context, feed_urls: tuple[str, ...], db_path: Path | None,
          fetch_flags: FetchFlags, config_path: Path | None) -> None:
    """Download the configured feeds and the article pages they link to.

    New articles are written as JSON files under the fetched folder, which
    `briefing build` and `briefing run` read. A page already stored is never
    fetched again. A feed or page that fails is reported and skipped: exit
    status 3 (0 when everything worked).

    \b
    Example:
        briefing fetch --feed https://example.org/rss.xml --delay 2
    """
    from .common import home_dir

    config = fetch_flags.apply(find_config(config_path, home_dir()))
    if db_path is not None:
        config = replace(config, db=db_path)
    report = fetch_and_report(config.with_home(home_dir()), _feeds(feed_urls))
    if not report.ok:
        ctx.exit(PARTIAL)


@click.command("run")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Briefing date (default: today).")
@build_options
@fetch_options
@click.option("--no-email", is_flag=True, help="Do not e-mail the briefing even if configured.")
@smtp_options
@click.pass_context
def run(ctx: click.Context, date_: str | None, build_flags: BuildFlags, fetch_flags: FetchFlags,
        no_email: bool, smtp: SmtpOptions) -> None:
    """Fetch the feeds, build the briefing, e-mail it: the command for cron or a timer.

    Fetches when the config lists feeds, builds from the config's corpus and the
    fetched articles, and e-mails the briefing when recipients are set (config
    [email] to, BRIEFING_SMTP_TO or --to). Exit status: 0 all done; 1 error;
    2 usage; 3 briefing written, but a feed or page failed or the e-mail was not
    sent (saved as DATE.eml next to the briefing).

    \b
    Example:
        briefing run --config ~/.config/briefing/config.toml
    """
    from .build import build_and_report
    from .common import home_dir, parse_date

    home = home_dir()
    config = fetch_flags.apply(build_flags.apply(find_config(smtp.config_path, home)))
    config = config.with_home(home)
    settings = None if no_email else smtp.settings(config=config)  # a bad setting fails first
    options = to_build_options(config, paths=(), date=parse_date(date_))
    partial = False
    if config.feeds:
        partial = not fetch_and_report(config).ok
    result = build_and_report(options, config)
    if settings is not None and settings.recipients:
        try:
            sent = send_briefing(result.briefing, settings, out_dir=options.out_dir,
                                 env=make_environment(options.template_dirs))
        except MailError as exc:
            _err.print(f"Error: {exc}", markup=False, soft_wrap=True)
            partial = True
        else:
            click.echo(f"Sent {sent.subject!r} to {', '.join(sent.recipients)}")
    if partial:
        ctx.exit(PARTIAL)
