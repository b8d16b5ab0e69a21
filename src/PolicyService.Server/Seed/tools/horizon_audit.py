"""Builds us-china-2026-horizon-audit.changes.json (see ../README.md, "After the reviewed horizon"): the records whose answers
after the reviewed horizon (2026-10-08) claimed more than the 2026 update knows, and the check of every suspension's end
date against one rule. Run through build_changes.py, which lists this builder last."""
import copy
import json
import os

from build_changes import SEED_DIR, d

UPDATE = "us-china-2026-update.changes.json"

# A stated end names the first day not covered this way (the rule Seed/README.md keeps):
#   "to X" / "until X" (X the last day covered)          -> X + 1
#   "to 12:01 a.m. X" / "to 11:59 p.m. X - 1"            -> X
#   "for N from [time on] D" (a duration from a start)  -> D + N, the anniversary: the same time of day counts as that day
END_RULE = ("suspendedUntil is the first day the suspension no longer covers. The source states a duration from a start "
            "('for one year from {start}'), which ends at the same time on the anniversary; 12:01 and 13:01 count as that day, so "
            "the first day not covered is {until}, the instant the US side's suspensions end (12:01 a.m. EST).")
PARAPHRASE = (" The 'to 2026-11-10' of later summaries paraphrases the same term and is not read as 'to X' (which would give "
              "X + 1).")


def created(state, rid):
    """A record the 2026 update created: the state tracks updates only, so its first version is read from the update."""
    if rid not in state.records:
        update = json.load(open(os.path.join(SEED_DIR, UPDATE), encoding="utf-8"))
        for change in update["changes"]:
            for kind in ("createTariffMeasure", "createExportControl"):
                if change.get(kind, {}).get("id") == rid:
                    state.records[rid] = [copy.deepcopy(change[kind]), 1, kind.replace("create", "update")]
    return state.edit(rid)


def build(state):
    # TAR-US-39: the start on 2026-12-04 is scheduled, and after the horizon nothing says it happened.
    rec = created(state, "TAR-US-39")
    announced, scheduled = rec["periods"]
    assert announced["status"] == "PERIOD_STATUS_ANNOUNCED" and scheduled["startDate"] == d(2026, 12, 4), rec["id"]
    announced["note"] = "Signed 2026-08-06; scheduled to take effect 2026-12-04 (two sources agree on the rates and the date)."
    rec["periods"] = [announced, {
        "recordId": "TAR-US-39", "startDate": d(2026, 12, 4), "status": "PERIOD_STATUS_ANNOUNCED", "adValoremPercent": "15",
        "rateDescription": "15% ad valorem scheduled from 2026-12-04, plus conditional minimum-import-price duties; implementation not verified",
        "legalInstrument": scheduled["legalInstrument"],
        "note": ("Scheduled start reached after the reviewed horizon (2026-10-08): no source says the duty took effect, so it stays "
                 "announced, not in force. The scenario announced_takes_effect (TAR-US-39, 2026-12-04) gives the answer if it did."),
        "confidence": "CONFIDENCE_REPORTED"}]

    # TAR-US-32 excepts patented drugs (TAR-US-38), not generics: heading 3004 holds both, so no stacking rule can tell them.
    rec = created(state, "TAR-US-32")
    before = len(rec["excludedBy"])
    rec["excludedBy"] = [r for r in rec["excludedBy"] if r["measureId"] != "TAR-US-38"]
    assert len(rec["excludedBy"]) == before - 1, rec["id"]
    rec["notes"] += (" Patented pharmaceuticals under TAR-US-38 are excepted, generic drugs are not; both enter under heading 3004, "
                     "so TAR-US-38 carries no stacking rule over this duty: a 3004 code answers with this layer (the generic case) "
                     "and TAR-US-38 beside it, without a rate.")
    rec = created(state, "TAR-US-38")
    rec["productScope"]["mappingNote"] += (" Heading 3004 also holds the generic drugs this duty excludes, which keep TAR-US-32; "
                                           "whether a product is patented decides which applies, and codes cannot say it.")

    # End dates of the 2025-11-10 suspensions: checked against the reference's own wording, left as they are, the reason kept.
    for rid, start, paraphrased in (("TAR-CN-03", "13:01 on 2025-11-10", True), ("TAR-CN-09", "13:01 on 2025-11-10", True),
                                    ("EXC-CN-17", "2025-11-10", False)):
        rec = state.edit(rid)
        p = rec["periods"][-1]
        assert p["suspendedUntil"] == d(2026, 11, 10), rid
        p["note"] = (p.get("note", "") + " " + END_RULE.format(start=start, until="2026-11-10") + (PARAPHRASE if paraphrased else "")).strip()

    return state.document(
        "seed:us-china-2026-horizon-audit",
        "Horizon audit of the 2026 update: TAR-US-39 scheduled, not known to be in force, after the reviewed horizon; TAR-US-38 "
        "takes no generic drugs out of TAR-US-32; the 2025-11-10 suspensions' end dates checked against one end-date rule",
        [])
