"""``badgedesk award --badge NAME --from FILE``: a one-off batch from a file, without the window.

The file is read as the app's batch dialog reads it (:mod:`desktop.importers`:
its encoding, delimiter, header and column sniffed), the dry run printed, then the
batch queued through the work file and sent through the outbox unless
``--dry-run``. Exit status as every headless command (:mod:`desktop.cli_headless`).

Thread safety: the main thread of a command-line process.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.batch_plan import plan_batch
from desktop.batches import DryRun, ListSource, dry_run, queue_batch
from desktop.cli_headless import (
    APPLIED,
    REFUSED,
    SOME_FAILED,
    STAYS_QUEUED,
    Stop,
    batch_results,
    confirm,
    failed,
    nothing_new,
    one_run_at_a_time,
    open_community,
    queued_words,
    run_command,
    say,
    send_queued,
    still_queued,
    sync_first,
    write_results,
)
from desktop.community import Community
from desktop.domain import ActionKind, Badge
from desktop.i18n import _, ngettext
from desktop.importers.files import ListFileError
from desktop.importers.sniffing import sniff_file
from desktop.outbox import OutboxError
from desktop.programs.cost import describe_cost


def _badge(community: Community, name: str) -> Badge:
    """The badge whose title or slug is ``name`` (any case); refused when none or several are."""
    wanted = name.strip().casefold()
    found = [b for b in community.cache.badges() if wanted in (b.title.casefold(), b.slug.casefold())]
    if not found:
        raise Stop(_("There is no badge named {name}.").format(name=name), REFUSED)
    if len(found) > 1:
        raise Stop(
            _("Several badges are named {name}: give one's slug ({slugs}).").format(
                name=name, slugs=", ".join(b.slug for b in found)
            ),
            REFUSED,
        )
    if not found[0].state.awardable:
        raise Stop(
            _("{badge} cannot be awarded: it is {state}.").format(
                badge=found[0].title, state=found[0].state.value
            ),
            REFUSED,
        )
    return found[0]


def _describe(plan: DryRun, badge: Badge) -> str:
    counts = plan.counts()
    lines = [
        _("{file} → {badge}:").format(file=plan.source.name, badge=badge.title),
        ngettext("  {n} row read", "  {n} rows read", counts["rows"]).format(n=counts["rows"]),
    ]
    for key, text in (
        ("blank", _("  blank: {n}")),
        ("duplicates", _("  duplicates: {n}")),
        ("invalid", _("  not an email address or username: {n}")),
        ("not_found", _("  no such member: {n}")),
        ("inactive", _("  suspended or deleted: {n}")),
        ("already", _("  already hold the badge: {n}")),
    ):
        if counts[key]:
            lines.append(text.format(n=counts[key]))
    for row, value, problem in plan.invalid_rows:
        lines.append(_("  row {row}: {value}: {problem}").format(row=row, value=value, problem=problem))
    for row, value in plan.not_found_rows:
        lines.append(_("  row {row}: {value}: no such member").format(row=row, value=value))
    lines.append(
        ngettext("{n} member to award.", "{n} members to award.", plan.to_send).format(n=plan.to_send)
    )
    return "\n".join(lines)


def award_main(args: argparse.Namespace) -> int:
    def body() -> int:
        community = open_community(
            args.server,
            args.server_kind,
            args.username.strip(),
            args.insecure_http,
            args.token_file,
            args.requests_per_minute,
        )
        try:
            with one_run_at_a_time(community.profile):
                return _award(args, community)
        finally:
            community.close()

    return run_command(body, "award")


def _award(args: argparse.Namespace, community: Community) -> int:
    path: Path = args.from_file
    sync_first(community)
    badge = _badge(community, args.badge)
    try:
        plan = dry_run(community.cache, ListSource.file(path, sniff_file(path)), ActionKind.AWARD, badge.id)
    except ListFileError as error:
        raise Stop(str(error), REFUSED) from None
    text = _describe(plan, badge)
    capabilities = community.capabilities()
    if capabilities is not None and plan.to_send:
        # What sending takes: requests and time at the server's rate limit (the batch dialog's plan).
        budget = community.rate_budget()
        cost = plan_batch(
            ActionKind.AWARD,
            plan.to_send,
            capabilities,
            messages=True,
            budget=budget,
            allow_mass=False,
        )
        # The file is read here: no request before the sends.
        total = describe_cost(0, [cost], budget.limit if budget is not None else None)
        text = "\n".join([text, *cost.lines(), *total])
    print(text, flush=True)
    if args.dry_run:
        return APPLIED
    batch = None
    if plan.to_send:
        confirm(
            ngettext("Queue and send {n} award?", "Queue and send {n} awards?", plan.to_send).format(
                n=plan.to_send
            ),
            args.yes,
        )
        try:
            batch = queue_batch(community.outbox, plan, reason=args.reason or "")
        except OutboxError as error:
            raise Stop(str(error), REFUSED) from None
    sent = send_queued(community)
    if batch is None:
        say(_("Nothing to award."))
        return nothing_new(community, sent)
    results = batch_results(community, batch.id, {})
    bad = failed(results)
    waiting = still_queued(results)
    if bad:
        report = write_results(community, batch.id, path.with_name(f"{path.stem}-results-{batch.id[:8]}.csv"))
        say(
            ngettext(
                "{n} of {total} award failed; each row's result: {path}",
                "{n} of {total} awards failed; each row's result: {path}",
                len(results),
            ).format(n=len(bad), total=len(results), path=report)
        )
        if waiting:
            say(queued_words(community, len(waiting)))
        return SOME_FAILED
    if waiting:
        say(queued_words(community, len(waiting)))
        return STAYS_QUEUED
    print(
        ngettext("{n} award applied ({batch}).", "{n} awards applied ({batch}).", len(results)).format(
            n=len(results), batch=batch.name or batch.id
        )
    )
    return APPLIED
