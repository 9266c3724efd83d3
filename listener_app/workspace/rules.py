"""The Workspace's rules (domain.rules holds their model and file format) and running them: each
matching mention gets the rule's actions, each action one undoable event named after the rule."""

from __future__ import annotations

from collections.abc import Sequence

import listener_app.workspace.triage as triage
from listener_app.domain import rules as rule_model
from listener_app.domain.changes import Changes
from listener_app.domain.query import QueryError, customers_only
from listener_app.domain.rules import Rule, RuleRun, describe_action
from listener_app.domain.tasks import TaskState
from listener_app.store import rules as rule_store
from listener_app.store import search
from listener_app.store.connection import Store


class Rules:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self, *, enabled_only: bool = False) -> list[Rule]:
        return rule_store.list_rules(self._store, enabled_only=enabled_only)

    def save(self, rule: Rule) -> Changes:
        """Add a rule, or replace the one with its id (the query was checked when it was made)."""
        return Changes(created_id=rule_store.save_rule(self._store, rule))

    def delete(self, name: str) -> bool:
        return rule_store.delete_rule(self._store, name)

    def set_enabled(self, rule_id: int, enabled: bool) -> Changes:
        rule_store.set_rule_enabled(self._store, rule_id, enabled)
        return Changes()

    def import_text(self, text: str) -> tuple[int, int]:
        """Add the rules of a rules file (replacing those with the same names): (added, replaced)."""
        return rule_store.import_rules(self._store, rule_model.loads(text))

    def export_text(self) -> str:
        """Every rule as a rules file."""
        return rule_model.dumps(self.list())

    def run(
        self,
        mention_ids: list[int] | None = None,
        *,
        rules: Sequence[Rule] | None = None,
        state: TaskState | None = None,
    ) -> RuleRun:
        """Run the enabled rules (or `rules`) over the mentions (all when None)."""
        return run_rules(
            self._store, mention_ids, rules=list(rules) if rules is not None else None, state=state
        )


def run_rules(
    ws: Store,
    mention_ids: list[int] | None = None,
    *,
    rules: list[Rule] | None = None,
    state: TaskState | None = None,
) -> RuleRun:
    """Run enabled rules over `mention_ids` (new mentions) or, when None, over every mention
    (then each rule's match count is kept as its last run).

    Each action is one undoable event, named after the rule, over the mentions it changes. A
    rule whose condition no longer works (a tag it names was deleted) is reported, not fatal.
    Cancelling stops between rules; what was done stays done (and undoable).
    """
    run = RuleRun()
    chosen = rule_store.list_rules(ws, enabled_only=True) if rules is None else rules
    for index, rule in enumerate(chosen):
        if state is not None:
            if state.cancelled:
                run.cancelled = True
                break
            state.progress(index, total=len(chosen), message=f"Rule “{rule.name}”")
        try:
            matched = search.matching_ids(ws, customers_only(rule.query), mention_ids)
        except QueryError as error:
            run.errors[rule.name] = error.message
            continue
        if mention_ids is None and rule.id is not None:
            rule_store.record_run(ws, rule.id, len(matched))
        if not matched:
            continue
        run.matched[rule.name] = matched
        origin = f"rule:{rule.name}"
        for action in rule.actions:
            kind = action["type"]
            targets = rule_store.action_targets(ws, matched, action)
            run.touched.append((rule.name, describe_action(action), len(targets)))
            if kind == "notify":
                run.notifications.append((rule.name, action.get("message") or rule.name, len(matched)))
                continue
            if not targets:
                continue
            if kind == "add_tag":
                changes = triage.add_tags(ws, targets, [action["tag"]], origin=origin)
            elif kind == "set_status":
                changes = triage.set_status(ws, targets, action["status"], origin=origin)
            elif kind == "star":
                changes = triage.set_starred(ws, targets, True, origin=origin)
            else:
                changes = triage.set_label(ws, targets, "intent", action["intent"], origin=origin)
            run.changes |= changes
    if state is not None and not run.cancelled:
        state.progress(len(chosen), total=len(chosen), message="Done")
    return run
