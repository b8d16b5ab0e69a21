#!/usr/bin/env python3
"""Builds the change documents that follow the 2026 update (see ../README.md, "The product lists and the audit"):

  us-product-lists.changes.json   Section 301 list scopes, stacking rules, IEEPA reciprocal and Section 122 exemptions
  us-china-2025-audit.changes.json  corrections the audit of the seed found
  us-exemptions-from-notes.changes.json  the two exemption lists rebuilt, dated, from the U.S. notes (exemptions_from_notes.py)
  us-section232.changes.json      the Section 232 duties (section232.py)
  us-china-2026-horizon-audit.changes.json  the horizon audit of the 2026 update (module horizon_audit.py)

Input: the seed and the 2026 update beside this folder, and ../shared/reference/us-product-lists/*.csv.
Run from the repository root:  python3 src/PolicyService.Server/Seed/tools/build_changes.py [path/to/us-product-lists]
The output is committed; the server never runs this script (a clone without ../shared still has the documents).
"""
import copy
import csv
import json
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_DIR = os.path.dirname(HERE)
REPO = os.path.normpath(os.path.join(SEED_DIR, "..", "..", ".."))
LISTS = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(REPO, "..", "shared", "reference", "us-product-lists"))

LIST_SOURCE = "L01"
LIST_SOURCE_TITLE = ("L01: Yale Budget Lab, tariff-rate-tracker, resources/ (state of 2026-04-28, MIT licence): Section 301 product "
                     "lists, IEEPA reciprocal exemptions and Section 122 (Annex II) exemptions, derived from the USTR Federal Register "
                     "annexes and the HTS Chapter 99 U.S. notes; a secondary source, as shipped in shared/reference/us-product-lists")
LIST_SOURCE_URL = "https://github.com/Budget-Lab-Yale/tariff-rate-tracker"
MEMBERSHIP = "List membership is REPORTED (secondary source L01, derived from the USTR annexes), not confirmed line by line."


# ---- reading the current state (seed, then the 2026 update) ----------------------------------------------------------

def date(text):
    if text is None:
        return None
    y, m, d = text.split("-")
    return {"year": int(y), "month": int(m), "day": int(d)}


def pct(value):
    if value is None:
        return None
    text = format(value, "f") if isinstance(value, float) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def drop_empty(obj):
    """Proto JSON omits defaults; keeping them out makes the documents read like the 2026 update."""
    if isinstance(obj, dict):
        return {k: drop_empty(v) for k, v in obj.items() if v not in (None, "", [], False)}
    if isinstance(obj, list):
        return [drop_empty(v) for v in obj]
    return obj


def scope(s):
    return {"allProducts": s["allProducts"], "hsPrefixes": list(s["hsPrefixes"]), "excludedHsPrefixes": list(s["excludedHsPrefixes"]),
            "description": s["description"], "mappingNote": s.get("mappingNote", "")}


def seed_measure(m):
    return drop_empty({
        "id": m["id"], "importer": m["importer"], "origins": m["origins"], "allOrigins": m["allOrigins"], "title": m["title"],
        "kind": "TARIFF_KIND_" + m["kind"], "productScope": scope(m["scope"]), "legalInstrument": m["legalInstrument"],
        "periods": [{
            "recordId": p["recordId"], "startDate": date(p["startDate"]), "endDate": date(p["endDate"]),
            "status": "PERIOD_STATUS_" + p["status"], "adValoremPercent": pct(p["adValoremPercent"]),
            "rateDescription": p["rateDescription"], "legalInstrument": p["legalInstrument"],
            "suspendedPercent": pct(p["suspendedPercent"]), "suspendedUntil": date(p["suspendedUntil"]),
            "truceTermId": p["truceTermId"], "note": p["note"], "confidence": "CONFIDENCE_" + p["confidence"],
        } for p in m["periods"]],
        "sources": [{"id": s} for s in m["sourceIds"]], "confidence": "CONFIDENCE_" + m["confidence"], "notes": m["notes"],
        "excludedBy": [{"measureId": e["measureId"], "reason": e["reason"]} for e in m["excludedBy"]],
    })


def seed_control(c):
    return drop_empty({
        "id": c["id"], "exporter": c["exporter"], "destinations": c["destinations"], "allDestinations": c["allDestinations"],
        "title": c["title"], "controlType": "EXPORT_CONTROL_TYPE_" + c["controlType"], "productScope": scope(c["scope"]),
        "items": [{"name": i["name"], "controlCode": i["controlCode"], "hsCodes": i["hsCodes"]} for i in c["items"]],
        "rules": c["rules"], "legalInstrument": c["legalInstrument"],
        "periods": [{
            "recordId": p["recordId"], "startDate": date(p["startDate"]), "endDate": date(p["endDate"]),
            "status": "PERIOD_STATUS_" + p["status"], "legalInstrument": p["legalInstrument"],
            "suspendedUntil": date(p["suspendedUntil"]), "truceTermId": p["truceTermId"], "note": p["note"],
            "confidence": "CONFIDENCE_" + p["confidence"],
        } for p in c["periods"]],
        "sources": [{"id": s} for s in c["sourceIds"]], "confidence": "CONFIDENCE_" + c["confidence"], "notes": c["notes"],
    })


class State:
    """The current version of each record after the seed and the shipped change documents, with its etag."""

    def __init__(self):
        seed = json.load(open(os.path.join(SEED_DIR, "us-china-2025.json"), encoding="utf-8"))
        update = json.load(open(os.path.join(SEED_DIR, "us-china-2026-update.changes.json"), encoding="utf-8"))
        self.records = {}
        for m in seed["tariffMeasures"]:
            self.records[m["id"]] = [seed_measure(m), 1, "updateTariffMeasure"]
        for c in seed["exportControls"]:
            self.records[c["id"]] = [seed_control(c), 1, "updateExportControl"]
        for change in update["changes"]:
            if "createTariffMeasure" in change:
                rec = change["createTariffMeasure"]
                self.records[rec["id"]] = [copy.deepcopy(rec), 1, "updateTariffMeasure"]
            for kind in ("updateTariffMeasure", "updateExportControl", "updateTruce"):
                if kind in change:
                    rec = change[kind]
                    version = self.records.get(rec["id"], [None, 1])[1]
                    self.records[rec["id"]] = [copy.deepcopy(rec), version + 1, kind]
            if "statusChange" in change:
                self.status_change(change["statusChange"])
        self.touched = []

    def status_change(self, s):
        # The same rule as Domain/StatusChanges.cs: the latest period ends on the effective date, the new one is open-ended.
        rec, version, kind = self.records[s["measureId"]]
        latest = rec["periods"][-1]
        latest["endDate"] = s["effectiveDate"]
        rec["periods"].append(drop_empty({
            "recordId": s["recordId"], "startDate": s["effectiveDate"], "status": s["status"],
            "adValoremPercent": latest.get("adValoremPercent"), "rateDescription": latest.get("rateDescription"),
            "legalInstrument": s["legalInstrument"], "note": s["note"], "confidence": s["confidence"]}))
        known = {x["id"] for x in rec["sources"]}
        rec["sources"] += [x for x in s["sources"] if x["id"] not in known]
        self.records[s["measureId"]] = [rec, version + 1, kind]

    def edit(self, rid):
        """The record to change in the document being built (one change per record per document)."""
        if rid not in self.touched:
            self.touched.append(rid)
        return self.records[rid][0]

    def create(self, record):
        self.records[record["id"]] = [record, 0, "createTariffMeasure"]
        self.touched.append(record["id"])

    def document(self, request_id, reason, sources):
        changes = []
        for rid in self.touched:
            rec, version, kind = self.records[rid]
            if version == 0:
                changes.append({"createTariffMeasure": drop_empty(rec)})
                self.records[rid][1] = 1
            else:
                changes.append({kind: drop_empty(rec), "etag": str(version)})
                self.records[rid][1] = version + 1
            self.records[rid][2] = kind if version else "updateTariffMeasure"
        self.touched = []
        return {"requestId": request_id, "reason": reason, "changes": changes, "sources": sources}


def add_source(rec, source_id=LIST_SOURCE):
    if source_id not in [s["id"] for s in rec["sources"]]:
        rec["sources"].append({"id": source_id})


def set_rules(rec, rules):
    existing = {r["measureId"]: r for r in rec.get("excludedBy", [])}
    for measure_id, reason in rules:
        existing.setdefault(measure_id, {"measureId": measure_id, "reason": reason})
    rec["excludedBy"] = sorted(existing.values(), key=lambda r: r["measureId"])


# ---- document 1: the product lists ------------------------------------------------------------------------------------

BASE_LISTS = {"1": "TAR-US-01", "2": "TAR-US-02", "3": "TAR-US-03", "3_addl": "TAR-US-03", "4A": "TAR-US-04"}
REVIEW_PARTS = ["TAR-US-05", "TAR-US-06.1", "TAR-US-06.2", "TAR-US-06.3", "TAR-US-07", "TAR-US-08", "TAR-US-09.1", "TAR-US-09.2",
                "TAR-US-10.1", "TAR-US-10.2", "TAR-US-10.3", "TAR-US-10.4", "TAR-US-10.5",
                "TAR-US-11.1", "TAR-US-11.2", "TAR-US-11.3", "TAR-US-11.4", "TAR-US-11.5"]


def review_part(hts8, code):
    """Which four-year-review part a line of a 9903.91 list belongs to, by its heading (the lists name the heading, not the part)."""
    ch, hd = hts8[:2], hts8[:4]
    if code == "9903.91.01":   # 2024-09-27, 25%
        if ch in ("72", "73", "76"):
            return "TAR-US-10.1"
        if hts8 == "85079040":
            return "TAR-US-06.3"
        return "TAR-US-10.2"
    if code == "9903.91.02":   # 2024-09-27, 50%
        return "TAR-US-08"
    if code == "9903.91.03":   # 2024-09-27, 100%
        return "TAR-US-05" if ch == "87" else "TAR-US-11.1"
    if code == "9903.91.11":   # 2025-01-01, 25%
        return "TAR-US-09.1"
    if code == "9903.91.05":   # 2025-01-01, 50%
        return "TAR-US-09.2" if hts8 in ("28046100", "38180000") else "TAR-US-07"
    if code == "9903.91.06":   # 2026-01-01, 25%
        return {"2504": "TAR-US-10.5", "8505": "TAR-US-10.4", "8507": "TAR-US-06.2"}[hd]
    if code == "9903.91.07":   # 2026-01-01, facemasks 50%
        return "TAR-US-11.4"
    if code == "9903.91.08":   # 2026-01-01, gloves 100%
        return "TAR-US-11.3"
    raise KeyError(code)


# Parts whose seed codes are narrower than the 8-digit line the lists give: the 8-digit line would also cover goods of
# another part or rate (EV vs non-EV batteries under 8507.60.00; the facemask suffixes under 6307.90.98), so the seed's
# 10-digit codes stay and the list line is only recorded in the mapping note.
KEEP_NARROW = {"TAR-US-06.2": "85076000", "TAR-US-11.4": "63079098"}


def valid_prefixes(codes):
    """The codes that are scope prefixes (2 to 10 digits, even length), sorted, and the ones that are not."""
    codes = {c.strip() for c in codes}
    good = sorted(c for c in codes if c.isdigit() and len(c) in (2, 4, 6, 8, 10))
    return good, sorted(codes - set(good))


def read_csv(name):
    with open(os.path.join(LISTS, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build_lists(state):
    rows = read_csv("section301-product-lists.csv")
    by_list = defaultdict(list)
    for r in rows:
        by_list[r["list"]].append(r)

    # Lists 1, 2, 3 (with 9903.88.04) and 4A: the product scope of TAR-US-01..04.
    for measure_id in ("TAR-US-01", "TAR-US-02", "TAR-US-03", "TAR-US-04"):
        lines = sorted({r["hts8"] for r in rows if BASE_LISTS.get(r["list"]) == measure_id})
        rec = state.edit(measure_id)
        s = rec["productScope"]
        headings = sorted({r["ch99_code"] for r in rows if BASE_LISTS.get(r["list"]) == measure_id})
        kept = [p for p in s.get("hsPrefixes", []) if not any(p.startswith(l) for l in lines)]
        s["hsPrefixes"] = sorted(set(lines) | set(kept))
        note = (f"{len(lines)} 8-digit HTS lines of HTS {', '.join(headings)} from L01. {MEMBERSHIP} The lists were drawn at 10 digits, "
                "so an 8-digit line here may hold 10-digit lines of another list; where two in-force lists share a line, the "
                "earlier list's rate is applied (stacking rules) and the later one is shown as excluded.")
        if measure_id == "TAR-US-04":
            note += (" Conflict with the reference: L01 has 8507.60.00 on List 4B only, but TAR-US-06 raises Li-ion batteries "
                     "'from 7.5%', so the reference wins and 8507.60.00.10/.20 stay on List 4A (from the seed).")
            if s.get("mappingNote"):
                note += " Earlier mapping: " + s["mappingNote"]
        if measure_id == "TAR-US-03":
            note += " The 11 lines of 9903.88.04 (List 3 goods named separately in the notes) are on List 3 at its rate."
        s["mappingNote"] = note
        add_source(rec)
        # A four-year-review rate replaces the list rate on the same line (same Section 301 action): 50, not 75.
        rules = [(p, "The four-year-review rate replaces the earlier list rate of the same line (same Section 301 action)")
                 for p in REVIEW_PARTS]
        earlier = {"TAR-US-02": ["TAR-US-01"], "TAR-US-03": ["TAR-US-01", "TAR-US-02"],
                   "TAR-US-04": ["TAR-US-01", "TAR-US-02", "TAR-US-03"]}.get(measure_id, [])
        rules += [(e, f"The line is also on {e}'s list: one Section 301 list rate per line, the earlier list's") for e in earlier]
        set_rules(rec, rules)

    # List 4B: announced with List 4 and suspended before it applied; never in force.
    four_a = state.records["TAR-US-04"][0]
    lines_4b = sorted({r["hts8"] for r in by_list["4B"]})
    state.create({
        "id": "TAR-US-04.2", "importer": "US", "origins": ["CN"], "title": "Section 301 List 4B (suspended, never applied)",
        "kind": "TARIFF_KIND_SECTION_301",
        "productScope": {"hsPrefixes": lines_4b, "description": "Section 301 List 4B goods (HTS 9903.88.16)",
                         "mappingNote": f"{len(lines_4b)} 8-digit HTS lines of HTS 9903.88.16 from L01. {MEMBERSHIP}"},
        "legalInstrument": "USTR Section 301 List 4 action; HTS 9903.88.16",
        "periods": [{"recordId": "TAR-US-04", "startDate": {"year": 2019, "month": 9, "day": 1}, "status": "PERIOD_STATUS_SUSPENDED",
                     "adValoremPercent": "15", "rateDescription": "15% (List 4B), suspended indefinitely",
                     "legalInstrument": "USTR Section 301 List 4 action; HTS 9903.88.16",
                     "note": ("The reference: 'List 4B (15%) suspended indefinitely'. It gives no 4B date, so the period starts on "
                              "List 4's effective date (2019-09-01); never in force, so it never adds duty."),
                     "confidence": "CONFIDENCE_REPORTED"}],
        "sources": four_a["sources"][:1] + [{"id": LIST_SOURCE}], "confidence": "CONFIDENCE_REPORTED",
        "notes": "Part of the TAR-US-04 record (List 4A is TAR-US-04). Kept so that a line's List 4B membership is visible; it is not a duty.",
    })

    # The 2024 four-year-review lists: the scope of TAR-US-05..11 by heading and effective date.
    review = defaultdict(set)
    for r in rows:
        if r["ch99_code"].startswith("9903.91."):
            review[review_part(r["hts8"], r["ch99_code"])].add((r["hts8"], r["ch99_code"]))
    for part in sorted(review):
        rec = state.edit(part)
        s = rec["productScope"]
        lines = sorted({h for h, _ in review[part]})
        headings = sorted({c for _, c in review[part]})
        if part in KEEP_NARROW:
            s["mappingNote"] = (s.get("mappingNote", "") + f" L01 lists the 8-digit line {KEEP_NARROW[part]} under HTS {', '.join(headings)}; "
                                "it also holds goods of another part or rate, so the 10-digit codes above are kept. " + MEMBERSHIP).strip()
        else:
            kept = [p for p in s.get("hsPrefixes", []) if not any(l.startswith(p) or p.startswith(l) for l in lines)]
            s["hsPrefixes"] = sorted(set(lines) | set(kept))
            s["mappingNote"] = (f"{len(lines)} 8-digit HTS lines of HTS {', '.join(headings)} from L01" +
                                (f", plus {', '.join(kept)} from the seed mapping" if kept else "") + f". {MEMBERSHIP}" +
                                (f" Before the lists: {s['mappingNote']}" if s.get("mappingNote") else ""))
        add_source(rec)

    # Exemptions: exclusions of the reciprocal and Section 122 scopes, so an exempt line gets no layer.
    reciprocal, malformed = valid_prefixes(r["hts10"] for r in read_csv("ieepa-reciprocal-exempt-products.csv"))
    rec = state.edit("TAR-US-17")
    s = rec["productScope"]
    s["excludedHsPrefixes"] = sorted(set(s.get("excludedHsPrefixes", [])) | set(reciprocal))
    s["description"] = ("All goods except the lines exempt from the reciprocal duty (U.S. note 2 / Annex II, Chapter 98 statutory "
                        "exemptions, the April 2025 electronics headings)")
    s["mappingNote"] = (f"Exemptions: the {len(reciprocal)} 10-digit HTS lines L01 lists as exempt from the IEEPA reciprocal duty. {MEMBERSHIP} "
                        "The list is a 2026 snapshot and carries no dates: each exemption applies over the whole measure, also where a "
                        "line was exempted later than 2025-04-05 (the files cannot say when). A few entries may be carve-outs for "
                        "other countries. The fentanyl duty (TAR-US-14) has no such exemptions." +
                        (f" Left out as not an HTS line: {', '.join(malformed)} (12 digits; 8505.11.00.70 is listed too)." if malformed else ""))
    add_source(rec)

    surcharge, malformed = valid_prefixes(r["hts8"] for r in read_csv("section122-exempt-products.csv"))
    assert not malformed, malformed
    rec = state.edit("TAR-US-24")
    s = rec["productScope"]
    seeded = list(s.get("excludedHsPrefixes", []))
    s["excludedHsPrefixes"] = sorted(set(seeded) | set(surcharge))
    s["description"] = "All imports except the Annex II exemptions of Proclamation 11012; applied only to the non-Section-232 part of a good"
    s["mappingNote"] = (f"Exemptions: the {len(surcharge)} 8-digit HTS lines of Annex II as listed by L01 ({MEMBERSHIP}), plus the codes "
                        f"the 2026 update names ({', '.join(seeded)}).")
    add_source(rec)

    return state.document(
        "seed:us-product-lists",
        "us-product-lists (shared/reference/us-product-lists, Yale Budget Lab tariff-rate-tracker state of 2026-04-28): Section 301 "
        "Lists 1-4B and the 2024 review lists as product scopes, list stacking rules, IEEPA reciprocal and Section 122 exemptions",
        [{"id": LIST_SOURCE, "title": LIST_SOURCE_TITLE, "urls": [LIST_SOURCE_URL]}])


# ---- document 2: the audit of the seed --------------------------------------------------------------------------------

def d(y, m, day):
    return {"year": y, "month": m, "day": day}


def earlier_rate(rec, increase_start, rate, why):
    """The Section 301 rate before a four-year-review increase, in force until the increase (it replaces the ANNOUNCED run-up)."""
    after = [p for p in rec["periods"] if p["status"] != "PERIOD_STATUS_ANNOUNCED"]
    assert after[0]["startDate"] == increase_start, rec["id"]
    first = rec["periods"][0]
    rec["periods"] = [{
        "recordId": first["recordId"], "startDate": d(2018, 7, 6), "endDate": increase_start, "status": "PERIOD_STATUS_IN_FORCE",
        "adValoremPercent": rate, "rateDescription": f"{rate}% (Section 301 rate before the four-year-review increase)",
        "legalInstrument": "USTR Section 301 actions (Lists 1-3); HTS 9903.88.xx",
        "note": why, "confidence": "CONFIDENCE_UNCONFIRMED"}] + after


def build_audit(state):
    start_note = ("The reference gives the rate before the increase ('25% -> {0}') but not its list or start; the lists carry these "
                  "lines only on the review list. Start assumed at the first Section 301 date, 2018-07-06 [unconfirmed]. The increase "
                  "was announced {1} (the run-up is no longer a separate ANNOUNCED period: the 25% was in force then).")
    earlier_rate(state.edit("TAR-US-05"), d(2024, 9, 27), "25", start_note.format("100%", "2024-05-14 and made final 2024-09-13"))
    earlier_rate(state.edit("TAR-US-07"), d(2025, 1, 1), "25", start_note.format("50%", "2024-09-13"))
    earlier_rate(state.edit("TAR-US-08"), d(2024, 9, 27), "25", start_note.format("50%", "2024-09-13"))

    # TAR-US-13: the 2027 step is scheduled with its rate unknown: announced, not in force.
    rec = state.edit("TAR-US-13")
    step = rec["periods"][-1]
    assert step["startDate"] == d(2027, 6, 23) and "adValoremPercent" not in step
    step["status"] = "PERIOD_STATUS_ANNOUNCED"
    step["rateDescription"] = "Increase scheduled for 2027-06-23; rate to be announced at least 30 days before"
    step["note"] = "Announced, not in force: the rate is not known yet. " + step.get("note", "")

    # EXC-CN-04.1: "not listed as suspended [inferred]" is a weaker fact than the ban itself.
    rec = state.edit("EXC-CN-04.1")
    only = rec["periods"][0]
    assert len(rec["periods"]) == 1
    first = dict(only, endDate=d(2025, 11, 9), note="In force from publication (2024-12-03).")
    later = dict(only, startDate=d(2025, 11, 9),
                 note="Not listed as suspended by Ann. 2025 No. 72 [inferred]: that it continues is an inference, not a stated fact.",
                 confidence="CONFIDENCE_UNCONFIRMED")
    later.pop("endDate", None)
    rec["periods"] = [first, later]

    # TAR-US-04: the disposable textile facemasks' 7.5% before 2025 is not in the reference.
    rec = state.edit("TAR-US-04")
    s = rec["productScope"]
    s["hsPrefixes"] = [p for p in s["hsPrefixes"] if p != "6307909870"]
    s["excludedHsPrefixes"] = sorted(set(s.get("excludedHsPrefixes", [])) | {"6307909870"})
    s["description"] += "; not 6307.90.98.70 (disposable textile facemasks: no List 4A rate in the reference)"
    s["mappingNote"] += (" Correction (audit): 6307.90.98.70, disposable textile facemasks, is excluded: the reference gives them 25% "
                         "(2025) and 50% (2026) under TAR-US-11.5 and no earlier rate, so no List 4A history is claimed for them.")

    # TAR-US-11: enteral syringes enter under HS 9018.31 with every other syringe.
    rec = state.edit("TAR-US-11.1")
    for p in rec["periods"]:
        p["note"] = ((p.get("note", "") + " ").lstrip() + "HS 9018.31 does not tell enteral syringes from other syringes: this rate is "
                     "that of the other syringes; enteral syringes are exempt until 2026-01-01 (TAR-US-11.2, listed beside the answer).")
    rec = state.edit("TAR-US-11.2")
    rec["productScope"]["hsPrefixes"] = ["90183100"]
    rec["productScope"]["mappingNote"] = ("Enteral syringes have no HTS line of their own in the sources: they enter under 9018.31.00 "
                                          "with all syringes, so this part matches every 9018.31 code; until 2026-01-01 it is ANNOUNCED "
                                          "(shown beside the answer); from then a stacking rule counts the 100% once, under TAR-US-11.1.")
    set_rules(rec, [("TAR-US-11.1", "Same 100% on the same HS line: counted once, under TAR-US-11.1")])

    # One rule for "to X" end dates, US and China alike: a date named without a time of day is the last day covered.
    for rid, until in [("EXC-CN-04.2", d(2026, 11, 28)), ("EXC-CN-04.3", d(2026, 11, 28))] + \
                      [(c, d(2026, 11, 11)) for c in ("EXC-CN-07", "EXC-CN-08", "EXC-CN-09", "EXC-CN-10", "EXC-CN-11.1", "EXC-CN-11.2", "EXC-CN-12")]:
        rec = state.edit(rid)
        p = rec["periods"][-1]
        assert p["status"] == "PERIOD_STATUS_SUSPENDED", rid
        p["suspendedUntil"] = until
        p["note"] = p.get("note", "") + (" suspendedUntil is the day after the named end date: 'to X' covers X, the rule used for the "
                                          "US suspensions ('to 2026-11-09' -> 2026-11-10).")

    # Threats that never took effect: announced, then nothing (not REVOKED, which would mean they had been in force).
    for rid in ("TAR-US-28", "EXC-US-02"):
        rec = state.edit(rid)
        assert rec["periods"][-1]["status"] == "PERIOD_STATUS_REVOKED", rid
        withdrawn = rec["periods"][-1]
        rec["periods"] = rec["periods"][:-1]
        last = rec["periods"][-1]
        last["endDate"] = withdrawn["startDate"]
        last["note"] = (last.get("note", "") + " Never took effect: announced and withdrawn (" + withdrawn.get("note", "") + ")").strip()

    # TRU-09: the general licences began in December 2025 (EXC-CN-14, 2025-12-04).
    truce = state.edit("TRUCE-US-CN-2025")
    term = next(t for t in truce["terms"] if t["id"] == "TRU-09")
    term["effectiveDate"] = d(2025, 12, 4)
    term["statusNote"] = ("Effective December 2025 (the reference gives the month; the day is EXC-CN-14's, the 2025-12-04 MOFCOM "
                          "briefing). " + term["statusNote"])

    return state.document(
        "seed:us-china-2025-audit",
        "us-china-2025 audit: corrections of seed records against shared/reference/us-china-2025.md - earlier 25% rates "
        "of TAR-US-05/07/08, TAR-US-13 step announced, EXC-CN-04.1 inference, facemask and enteral syringe scopes, one end-date rule, "
        "threats announced-and-withdrawn, TRU-09 effective date",
        [])


def write(name, doc):
    path = os.path.join(SEED_DIR, name)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    # Prefix arrays on one line each: thousands of codes, one per line, would triple the size for nothing.
    text = re.sub(r'\[\n\s*("\d+"(?:,\n\s*"\d+")*)\n\s*\]', lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)
    # Scope exclusions one per line: over a thousand of them, each a prefix, two dates and a basis.
    text = re.sub(r'\{\n\s*"hsPrefix"(?:[^{}]|\{[^{}]*\})*\}', lambda m: re.sub(r"\n\s*", " ", m.group(0)).replace("{ ", "{").replace(" }", "}"), text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(f"{name}: {len(doc['changes'])} changes, {os.path.getsize(path):,} bytes")


def documents():
    """The generated documents, in the order SeedUpdates applies them: each builder sees the state the ones before it
    left, so its updates carry the etags the write path will expect. Builders in other modules of this folder import
    this one for State and its helpers, so they are imported here, not at the top."""
    import exemptions_from_notes
    import horizon_audit
    import section232
    return [
        ("us-product-lists.changes.json", build_lists),
        ("us-china-2025-audit.changes.json", build_audit),
        ("us-exemptions-from-notes.changes.json", exemptions_from_notes.build),
        ("us-section232.changes.json", section232.build),
        ("us-china-2026-horizon-audit.changes.json", horizon_audit.build),
    ]


if __name__ == "__main__":
    sys.modules.setdefault("build_changes", sys.modules[__name__])
    state = State()
    for name, build in documents():
        write(name, build(state))
