"""The exemptions of the IEEPA reciprocal duty (TAR-US-17) and the Section 122 surcharge (TAR-US-24) rebuilt from the
U.S. notes to chapter 99 (see ../README.md, "Exemptions from the U.S. notes"):

  us-exemptions-from-notes.changes.json   request id seed:us-exemptions-from-notes

Input: reciprocal-exempt-from-note.csv and section122-exempt-from-note.csv in the us-product-lists folder that
build_changes.py reads. They replace the undated exclusions us-product-lists.changes.json gave both measures (the older
compilations mixed in other countries' conditional carve-outs). Built by build_changes.py, after the audit.
"""
import datetime
import json
import os
import re

from build_changes import SEED_DIR, add_source, date, read_csv

NOTE_SOURCE = "N01"
NOTE_SOURCE_TITLE = ("N01: HTSUS 2026 Revision 6, chapter 99, subchapter III U.S. notes 2(v)(iii)(a) (the list behind heading "
                     "9903.01.32, exemptions from the IEEPA reciprocal duty under 9903.01.25 and 9903.01.63) and 2(aa) (exemptions "
                     "from the Section 122 surcharge, 9903.03.03), with the chapter 98 and informational-materials rules; the text "
                     "as stored by the Yale Budget Lab tariff-rate-tracker (data/us_notes/chapter99_2026_rev_6.txt), dated from the "
                     "orders that changed the lists, as compiled in shared/reference/us-product-lists")
NOTE_SOURCE_URLS = [
    "https://github.com/Budget-Lab-Yale/tariff-rate-tracker",
    "https://www.troutman.com/insights/white-house-releases-list-of-products-excluded-from-reciprocal-tariffs/",
    "https://www.spiritchbinc.com/post/cbp-updated-guidance-for-reciprocal-tariff-exclusion-of-specified-products",
    "https://kpmg.com/us/en/taxnewsflash/news/2025/09/tnf-white-house-announces-modifications-to-scope-of-reciprocal-tariffs-framework-for-implementing-trade-agreements.html",
    "https://www.anderinger.com/modified-tariffs-exclusion-list-refunds-for-japanese-goods",
    "https://www.mondaq.com/unitedstates/international-trade-investment/1707216/trump-exempts-agricultural-products-from-ieepa-reciprocal-tariffs",
    "https://www.internationaltradecomplianceupdate.com/2025/11/19/us-new-executive-order-trims-some-agricultural-products-from-reciprocal-tariffs",
    "https://kpmg.com/us/en/taxnewsflash/news/2025/11/united-states-removes-reciprocal-tariffs-agricultural-products.html",
    "https://www.whitehouse.gov/wp-content/uploads/2025/11/annex.pdf",
]
# The superseded compilation: it backed only the exemptions of these two measures.
LIST_SOURCE = "L01"

# What each basis of the reciprocal file means, for the mapping note (the README of the reference says how each was dated).
RECIPROCAL_BASES = {
    "annex-ii-original": "EO 14257 Annex II (90 FR 15041), from 2025-04-05; the 8 lines EO 14346 took out end on 2025-09-07",
    "electronics-memo": "the memorandum of 2025-04-11 clarifying EO 14257 (20 entries), retroactive to 2025-04-05",
    "eo-14346": "added by EO 14346 from 2025-09-08",
    "ag-2025-11": "added by the order of 2025-11-14 on agricultural products from 2025-11-13",
    "unknown-date": "in the 2026 note but not in the September 2025 list, date of addition unknown: dated 2025-04-05, the earliest plausible",
    "statutory-ch98": "chapter 98 entries, exempt by note 2(v)(i) except 9802.00.40, .50, .60 and .80",
    "informational": "informational materials (heading 9903.01.31, 50 U.S.C. 1702(b)(3)), approximated by chapters 49 and 97",
}
SECTION122_BASES = {
    "annex-ii-9903.03.03": "Annex II of Proclamation 11012, note 2(aa)(ii), heading 9903.03.03",
    "statutory-ch98": "chapter 98 entries, note 2(aa)(i), except 9802.00.40, .50, .60 and .80",
    "informational": "informational materials (heading 9903.03.11), approximated by chapters 49 and 97",
}


def basis_of(row):
    """The row's basis with the place in the legal text it comes from, short enough to repeat 1,100 times."""
    line = re.search(r"L\d+(?:-\d+)?", row["source"])
    if line:
        return f"{row['basis']} rev6 {line.group(0)}"
    if "removed by EO 14346" in row["source"]:
        return f"{row['basis']} (removed by EO 14346 from 2025-09-08)"
    raise ValueError(f"no rev6 line in the source of {row['hts_prefix']}: {row['source']}")


def day_after(text):
    """The first day no longer exempt: the files give the last exempt day, inclusive."""
    return (datetime.date.fromisoformat(text) + datetime.timedelta(days=1)).isoformat()


def checked_prefix(text):
    assert text.isdigit() and len(text) in (2, 4, 6, 8, 10), text
    return text


def reciprocal_exclusions(rows):
    return sorted(({"hsPrefix": checked_prefix(r["hts_prefix"]), "startDate": date(r["from_date"]), "endDate": date(day_after(r["to_date"])),
                    "basis": basis_of(r)} for r in rows), key=lambda x: (x["hsPrefix"], x["startDate"]["year"], x["startDate"]["month"], x["startDate"]["day"]))


def section122_exclusions(rows):
    return sorted(({"hsPrefix": checked_prefix(r["hts_prefix"]), "basis": basis_of(r)} for r in rows), key=lambda x: x["hsPrefix"])


def counts(rows, meanings):
    by = {}
    for r in rows:
        by[r["basis"]] = by.get(r["basis"], 0) + 1
    assert set(by) <= set(meanings), set(by) - set(meanings)
    return "; ".join(f"{b} {n} ({meanings[b]})" for b, n in sorted(by.items(), key=lambda kv: -kv[1]))


def update_exemptions(measure_id):
    """The exclusions the 2026 update itself gave the measure (before the L01 lists were added to them)."""
    with open(os.path.join(SEED_DIR, "us-china-2026-update.changes.json"), encoding="utf-8") as f:
        update = json.load(f)
    return next(c["updateTariffMeasure"]["productScope"].get("excludedHsPrefixes", [])
                for c in update["changes"] if c.get("updateTariffMeasure", {}).get("id") == measure_id)


def replace_source(rec):
    rec["sources"] = [s for s in rec["sources"] if s["id"] != LIST_SOURCE]
    add_source(rec, NOTE_SOURCE)


def build(state):
    reciprocal = read_csv("reciprocal-exempt-from-note.csv")
    surcharge = read_csv("section122-exempt-from-note.csv")

    rec = state.edit("TAR-US-17")
    s = rec["productScope"]
    s["excludedHsPrefixes"] = []
    s["datedExclusions"] = reciprocal_exclusions(reciprocal)
    s["description"] = ("All goods of China, including Hong Kong and Macau, except the lines U.S. note 2(v)(iii)(a) to chapter 99 "
                        "exempts (the list behind 9903.01.32), chapter 98 entries and informational materials, each over the dates "
                        "it was exempt")
    s["mappingNote"] = (
        f"Exemptions: {len(reciprocal)} prefixes from N01, each written at the digits of the legal text and dated from the order "
        "that added (or removed) it; the end date is the day after the last exempt day (2026-02-24, the day the duty stopped, for "
        f"the entries still in the note). By basis: {counts(reciprocal, RECIPROCAL_BASES)}. Not exemptions of Chinese goods and "
        "left out: the civil-aircraft notes for the EU, Korea, Switzerland/Liechtenstein and Brazil, the EU and Swiss lists for "
        "pharmaceuticals and natural resources, the Brazil-order lists, the Section 232 goods named by another heading (see the "
        "stacking rules) and the 11 particular articles of note 2(v)(iii)(b) (each only part of an 8-digit line). What the "
        "list cannot say: the dates rest on secondary sources (annex-ii-original means 'in the list of September 2025, not an "
        "EO 14346 addition'); lines that left the list between April and September 2025 other than by EO 14346 are missing, so "
        "April-September may be under-stated; chapters 49 and 97 approximate articles defined by what they are, not by their line; "
        "only the 2026 Revision 6 text was read. Confidence REPORTED. The older undated list (L01) is no longer used: about "
        "half of it was other countries' conditional carve-outs.")
    replace_source(rec)

    rec = state.edit("TAR-US-24")
    s = rec["productScope"]
    named = update_exemptions("TAR-US-24")
    prefixes = [r["hts_prefix"] for r in surcharge]
    # The codes the 2026 update named are kept only through the note lines that support them.
    supported = {}
    for code in named:
        supported[code] = [p for p in prefixes if p.startswith(code) or code.startswith(p)]
        assert supported[code], f"the 2026 update's exemption {code} is not in note 2(aa)"
    s["excludedHsPrefixes"] = []
    s["datedExclusions"] = section122_exclusions(surcharge)
    s["description"] = ("All imports except the unconditional exemptions of Proclamation 11012 (U.S. note 2(aa) to chapter 99: "
                        "Annex II, chapter 98 entries, informational materials); applied only to the non-Section-232 part of a good")
    s["mappingNote"] = (
        f"Exemptions: {len(surcharge)} prefixes from N01 for the surcharge's whole term (2026-02-24 to 2026-07-24), at the digits "
        f"of the legal text. By basis: {counts(surcharge, SECTION122_BASES)}. The 2026 update's own codes are all in note "
        f"2(aa)(ii) and are held as its lines: {'; '.join(f'{c} as {chr(44).join(ps)}' for c, ps in supported.items())}. Left out: the 11 particular articles of 2(aa)(iii) (only part of each 8-digit line), the civil-aircraft "
        "articles of 2(aa)(iv) (conditional on use), and 2(aa)(v)-(viii) (they depend on another heading or on origin). Only the "
        "Revision 6 text was read: changes to the list after it, or between 2026-02-24 and it, were not checked. Confidence "
        "REPORTED. The older Annex II compilation (L01) is no longer used: 556 of its lines were conditional.")
    replace_source(rec)

    return state.document(
        "seed:us-exemptions-from-notes",
        "Exemptions from the U.S. notes (HTSUS 2026 Rev. 6, chapter 99 notes 2(v)(iii)(a) and 2(aa)): TAR-US-17's reciprocal "
        "exemptions dated from the orders that changed them, TAR-US-24's Section 122 exemptions without conditional carve-outs; "
        "they replace the undated L01 lists",
        [{"id": NOTE_SOURCE, "title": NOTE_SOURCE_TITLE, "urls": NOTE_SOURCE_URLS}])
