"""The Section 232 duties as tariff measures on all origins (see ../README.md, "Section 232"): us-section232.changes.json.

Input: ../shared/reference/us-section232/ (README.md sources, s232-product-lists.csv, s232-metals-annexes-2026.csv).
build(state) is listed in build_changes.documents(); run build_changes.py to regenerate every document.
"""
import csv
import os
import re
import sys
from collections import defaultdict

import build_changes as bc

REFERENCE = os.environ.get("S232_REFERENCE") or os.path.normpath(
    os.path.join(bc.REPO, "..", "shared", "reference", "us-section232"))
METAL_CHAPTERS = ("72", "73", "74", "76")
LIST_NOTE = ("Lines from shared/reference/us-section232/{0} (compiled from the HTSUS chapter 99 notes and the proclamation annexes "
             "by the Yale Budget Lab tariff-rate-tracker, source S232-LISTS): membership is REPORTED unless the record confirms the line.")
WEIGHT = "the listed metal (steel, aluminium or copper) at least 15% of the article's weight (otherwise heading 9903.82.03, no duty)"
TOP_UP = ("column-1 rate topped up to 15%: the duty is 15% minus the MFN rate, nothing if the MFN rate is 15% or more "
          "(9903.82.10/.11); 15 is the ceiling, not the rate")
SEMI_WINDOW = ("a logic integrated circuit, or an article containing one, inside a U.S. note 39(b) window: total processing "
               "performance 14,000-17,500 with DRAM bandwidth 4,500-5,000 GB/s, or 20,800-21,100 with 5,800-6,200 GB/s "
               "(otherwise 9903.79.02, no duty)")
SEMI_END_USE = ("no end-use exemption claimed (9903.79.03-.09: US data centres, US repair or replacement, US research and "
                "development, startups, consumer, civil industrial and public-sector uses)")
AUTO_PART = "an automobile part: a part of a passenger vehicle or light truck (the listed heading also holds goods that are not)"
# Note 33(g) lists these whole headings, which hold mostly goods that are not vehicle parts: the duty is conditional there.
GENERAL_PARTS_HEADINGS = {"8471"}
# A listed line narrowed to the statistical lines that are vehicle parts (the list line stays in the mapping note), as
# build_changes.KEEP_NARROW does for Section 301: 8507.60.00.20 (other lithium-ion batteries) was priced without an auto
# parts duty after May 2025 (2025 trade press, issue of the batteries), 8507.60.00.10 are batteries for electric vehicles.
NARROWED_AUTO_PARTS = {"850760": ["8507600010"]}
d = bc.d


def read(name):
    with open(os.path.join(REFERENCE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sources():
    """The README's S01..S39 (and the appliance sources) as S232-prefixed sources, plus the product lists themselves."""
    text = open(os.path.join(REFERENCE, "README.md"), encoding="utf-8").read()
    section = text[text.index("## 6. Sources"):text.index("## 7. Test cases")]
    found = []
    for key, entry in re.findall(r"^- \*\*(S\d\d)\*\* (.*)$", section, re.M):
        # An entry is a label, then its addresses (web pages, or files of the tracker's repository).
        urls = re.findall(r"https?://[^\s;]+", entry) or ["https://github.com/Budget-Lab-Yale/tariff-rate-tracker"]
        label = re.sub(r"https?://\S+|`", "", re.split(r":\s+(?:https?://|`)", entry)[0]).strip(" ;:") or "web page"
        found.append({"id": f"S232-{key}", "title": f"S232-{key}: {label}", "urls": urls})
    for key, url in re.findall(r"(S-APPL-\d) (https://[^\s;|]+)", text):
        found.append({"id": f"S232-{key[2:]}", "title": f"S232-{key[2:]}: household appliances added as steel derivatives (2025-06-23)", "urls": [url]})
    assert len(found) == 42, len(found)
    found.append({"id": "S232-LISTS", "title": "S232-LISTS: Section 232 product lists and the 2026 metals annexes by HTS prefix, Yale Budget "
                  "Lab tariff-rate-tracker resources/ at commit 8315fff (MIT licence), as shipped in shared/reference/us-section232",
                  "urls": ["https://github.com/Budget-Lab-Yale/tariff-rate-tracker"]})
    return found


def period(record, start, end, rate, basis, instrument, confidence="CONFIRMED", status="IN_FORCE", conditions=(), note="", description=None):
    basis_words = {"FULL_VALUE": "customs value", "METAL_CONTENT": "value of the metal content"}[basis]
    return bc.drop_empty({
        "recordId": record, "startDate": start, "endDate": end, "status": "PERIOD_STATUS_" + status,
        "adValoremPercent": rate, "rateDescription": description or f"{rate}% of the {basis_words}", "legalInstrument": instrument,
        "note": note, "confidence": "CONFIDENCE_" + confidence, "rateBasis": "RATE_BASIS_" + basis, "conditions": list(conditions)})


def measure(mid, title, prefixes, description, list_file, instrument, periods, srcs, confidence="CONFIRMED", notes="", excluded=()):
    return {
        "id": mid, "importer": "US", "allOrigins": True, "title": title, "kind": "TARIFF_KIND_SECTION_232",
        "productScope": bc.drop_empty({"hsPrefixes": sorted(set(prefixes)), "excludedHsPrefixes": sorted(set(excluded)),
                                       "description": description, "mappingNote": LIST_NOTE.format(list_file)}),
        "legalInstrument": instrument, "periods": periods, "sources": [{"id": s} for s in srcs + ["S232-LISTS"]],
        "confidence": "CONFIDENCE_" + confidence, "notes": notes}


REPLACED = "Replaced by the annex regime of Proclamation 11021 (the SEC-METAL-01 measures) from 2026-04-06."


def ended(record="SEC-METAL-01"):
    return {"recordId": record, "startDate": d(2026, 4, 6), "status": "PERIOD_STATUS_EXPIRED", "legalInstrument": "Proclamation 11021",
            "note": REPLACED, "confidence": "CONFIDENCE_CONFIRMED"}


def metals_before_2026(lists):
    """The 2018-2025 steel, aluminium and copper programs, one measure each, by the README's records (SEC-STEEL/ALU/CU)."""
    p = lists
    m = []
    m.append(measure("SEC-STEEL-01", "Section 232 steel articles", p["steel_article"], "Steel mill articles (HTS note 16(c)(iii))",
                     "s232-product-lists.csv (steel_article)", "Proclamation 9705, 83 FR 11625, as amended by Proclamation 9711", [
        period("SEC-STEEL-01", d(2018, 3, 23), d(2025, 3, 12), "25", "FULL_VALUE", "Proclamation 9705; HTS 9903.80.01"),
        period("SEC-STEEL-03", d(2025, 3, 12), d(2025, 6, 4), "25", "FULL_VALUE", "Proclamation 10896, 90 FR 9817; HTS 9903.81.87",
               note="Country exemptions, quotas and general approved exclusions ended."),
        period("SEC-STEEL-04", d(2025, 6, 4), d(2026, 4, 6), "50", "FULL_VALUE", "Proclamation 10947, 90 FR 24199"),
        period("SEC-METAL-01", d(2026, 4, 6), None, "50", "FULL_VALUE", "Proclamation 11021; HTS 9903.82.02 (Annex I-A)",
               note="Core steel articles are Annex I-A goods of the 2026 regime (note 16(c)(iii)); the annex list does not repeat them."),
    ], ["S232-S01", "S232-S02", "S232-S03", "S232-S06", "S232-S07", "S232-S08", "S232-S10", "S232-S17", "S232-S18"]))
    m.append(measure("SEC-ALU-01", "Section 232 aluminium articles", p["aluminum_article"], "Aluminium articles (HTS note 16(c)(i))",
                     "s232-product-lists.csv (aluminum_article)", "Proclamation 9704, 83 FR 11619", [
        period("SEC-ALU-01", d(2018, 3, 23), d(2025, 3, 12), "10", "FULL_VALUE", "Proclamation 9704; HTS 9903.85.01"),
        period("SEC-ALU-03", d(2025, 3, 12), d(2025, 6, 4), "25", "FULL_VALUE", "Proclamation 10895, 90 FR 9807; HTS 9903.85.02"),
        period("SEC-ALU-04", d(2025, 6, 4), d(2026, 4, 6), "50", "FULL_VALUE", "Proclamation 10947, 90 FR 24199"),
        ended(),
    ], ["S232-S01", "S232-S15", "S232-S06", "S232-S07", "S232-S10", "S232-S17", "S232-S18"]))
    m.append(measure("SEC-ALU-02", "Section 232 aluminium derivatives of 2020 (stranded wire, bumper and body stampings)",
                     p["aluminum_derivative_2020"], "Proclamation 9980 aluminium derivatives", "s232-product-lists.csv (aluminum_derivative_2020)",
                     "Proclamation 9980 of 2020-01-24", [
        period("SEC-ALU-02", d(2020, 2, 8), d(2025, 3, 12), "10", "FULL_VALUE", "Proclamation 9980; HTS 9903.85.04"),
        period("SEC-ALU-03", d(2025, 3, 12), d(2025, 6, 4), "25", "FULL_VALUE", "Proclamation 10895"),
        period("SEC-ALU-04", d(2025, 6, 4), d(2026, 4, 6), "50", "FULL_VALUE", "Proclamation 10947",
               note="Full value kept: a content basis from 2025-06-04 for the 8708 stampings is unconfirmed (U10)."),
        ended()], ["S232-S04", "S232-S05", "S232-S06", "S232-S10"],
        notes="The 8708.10.30/8708.29.21 stampings were also steel derivatives at 25% (U9); the lists carry them as aluminium only, "
              "and the first steel derivatives of Proclamation 9980 (SEC-STEEL-02) are not mapped: their line list was not available."))
    m.append(measure("SEC-ALU-03.1", "Section 232 aluminium derivatives of chapter 76 (2025)", p["aluminum_derivative_ch76"],
                     "New chapter 76 derivatives (HTS 9903.85.07)", "s232-product-lists.csv (aluminum_derivative_ch76)",
                     "Proclamation 10895, 90 FR 9807", [
        period("SEC-ALU-03", d(2025, 3, 12), d(2025, 6, 4), "25", "FULL_VALUE", "Proclamation 10895; HTS 9903.85.07"),
        period("SEC-ALU-04", d(2025, 6, 4), d(2026, 4, 6), "50", "FULL_VALUE", "Proclamation 10947"), ended()],
        ["S232-S06", "S232-S07", "S232-S09", "S232-S10"]))
    m.append(measure("SEC-ALU-03.2", "Section 232 aluminium derivatives outside chapter 76 (2025), on the aluminium content",
                     p["aluminum_derivative_2025"], "New derivatives outside chapter 76 (HTS 9903.85.08)", "s232-product-lists.csv (aluminum_derivative_2025)",
                     "Proclamation 10895, 90 FR 9807", [
        period("SEC-ALU-03", d(2025, 3, 12), d(2025, 6, 4), "25", "METAL_CONTENT", "Proclamation 10895; HTS 9903.85.08",
               note="On the aluminium content; the whole value if the content's value is not declared."),
        period("SEC-ALU-04", d(2025, 6, 4), d(2026, 4, 6), "50", "METAL_CONTENT", "Proclamation 10947"), ended()],
        ["S232-S06", "S232-S07", "S232-S09", "S232-S10"]))
    m.append(measure("SEC-ALU-05", "Section 232 aluminium derivatives of the first inclusions round, on the aluminium content",
                     p["aluminum_derivative_inclusion1"], "Aluminium derivatives added 2025-08-18", "s232-product-lists.csv (aluminum_derivative_inclusion1)",
                     "BIS inclusions notice, FR doc 2025-15819; CBP CSMS 65936570", [
        period("SEC-ALU-05", d(2025, 8, 18), d(2026, 4, 6), "50", "METAL_CONTENT", "FR doc 2025-15819; HTS 9903.85.08/.09"), ended()],
        ["S232-S13", "S232-S14"]))
    m.append(measure("SEC-STEEL-03", "Section 232 steel derivatives of chapter 73 (2025)", p["steel_derivative_ch73_blanket"],
                     "All of chapter 73 (HTS 9903.81.89/.90)", "s232-product-lists.csv (steel_derivative_ch73_blanket)",
                     "Proclamation 10896, 90 FR 9817", [
        period("SEC-STEEL-03", d(2025, 3, 12), d(2025, 6, 4), "25", "FULL_VALUE", "Proclamation 10896; HTS 9903.81.89/.90",
               confidence="REPORTED", note="The list covers all of chapter 73, broader than the legal list of note 16 (REPORTED)."),
        period("SEC-STEEL-04", d(2025, 6, 4), d(2026, 4, 6), "50", "FULL_VALUE", "Proclamation 10947", confidence="REPORTED"), ended()],
        ["S232-S06", "S232-S08", "S232-S09", "S232-S10"]))
    m.append(measure("SEC-STEEL-04a", "Section 232 household appliances as steel derivatives, on the steel content",
                     p["steel_derivative_appliances_2025"], "Appliances added 2025-06-23 (HTS 9903.81.91)",
                     "s232-product-lists.csv (steel_derivative_appliances_2025)", "BIS inclusion notice of 2025-06-12; CBP CSMS 65405824", [
        period("SEC-STEEL-04a", d(2025, 6, 23), d(2026, 4, 6), "50", "METAL_CONTENT", "HTS 9903.81.91"), ended()],
        ["S232-APPL-1", "S232-APPL-2", "S232-APPL-3"]))
    m.append(measure("SEC-STEEL-05", "Section 232 steel derivatives of the first inclusions round, on the steel content",
                     p["steel_derivative_inclusion1"], "Steel derivatives added 2025-08-18 (HTS 9903.81.91)",
                     "s232-product-lists.csv (steel_derivative_inclusion1)", "BIS inclusions notice, FR doc 2025-15819; CBP CSMS 65936570", [
        period("SEC-STEEL-05", d(2025, 8, 18), d(2026, 4, 6), "50", "METAL_CONTENT", "FR doc 2025-15819; HTS 9903.81.91"), ended()],
        ["S232-S13", "S232-S14"],
        notes="Steel derivatives outside chapter 73 were dutiable on the steel content from 2025-03-12 (U8), but the lists date them "
              "all 2025-08-18: from 2025-03-12 to 2025-08-17 steel derivatives are under-covered."))
    m.append(measure("SEC-CU-01", "Section 232 copper semi-finished products and derivatives, on the copper content",
                     p["copper_semis_derivatives"], "Copper semis and copper-intensive derivatives (U.S. note 36(b))",
                     "s232-product-lists.csv (copper_semis_derivatives)", "Proclamation 10962 of 2025-07-30; CBP CSMS 65794272", [
        period("SEC-CU-01", d(2025, 8, 1), d(2026, 4, 6), "50", "METAL_CONTENT", "Proclamation 10962; HTS 9903.78.01",
               note="The non-copper content is declared under 9903.78.02 at 0; the whole value if the copper content is not substantiated."),
        ended()], ["S232-S21", "S232-S22", "S232-S23", "S232-S24"]))
    return m


def annexes(rows, articles):
    """The 2026-04-06 annexes I-A, I-B and III, split by whether the 15%-of-weight condition applies (outside ch. 72/73/74/76)."""
    groups = defaultdict(set)
    for r in rows:
        groups[(r["annex"], r["hts_prefix"][:2] in METAL_CHAPTERS)].add(r["hts_prefix"])
    specs = [("SEC-METAL-01.1", ("I-A", True), "50", "Annex I-A, chapters 72/73/74/76", []),
             ("SEC-METAL-01.2", ("I-A", False), "50", "Annex I-A, outside chapters 72/73/74/76", [WEIGHT]),
             ("SEC-METAL-01.3", ("I-B", True), "25", "Annex I-B, chapters 72/73/74/76", []),
             ("SEC-METAL-01.4", ("I-B", False), "25", "Annex I-B, outside chapters 72/73/74/76", [WEIGHT]),
             ("SEC-METAL-01.5", ("III", True), "15", "Annex III, chapters 72/73/74/76", [TOP_UP]),
             ("SEC-METAL-01.6", ("III", False), "15", "Annex III, outside chapters 72/73/74/76", [TOP_UP, WEIGHT])]
    # One rate per article: a line listed more specifically elsewhere (another annex, Annex II, a core article) is left out here.
    specific = [(p, key) for key, ps in groups.items() for p in ps] + [(p, "article") for p in articles]
    measures = []
    for mid, key, rate, words, conditions in specs:
        prefixes = groups.get(key)
        if not prefixes:
            continue
        excluded = {p for p, k in specific if k != key and any(p.startswith(q) and p != q for q in prefixes)}
        assert not any(p in prefixes for p, k in specific if k != key), mid
        heading = {"I-A": "9903.82.02", "I-B": "9903.82.09", "III": "9903.82.10/.11"}[key[0]]
        periods = [
            period("SEC-METAL-01", d(2026, 4, 6), d(2026, 6, 8), rate, "FULL_VALUE", f"Proclamation 11021; HTS {heading}", conditions=conditions),
            period("SEC-METAL-04", d(2026, 6, 8), d(2028, 1, 1) if key[0] == "III" else None, rate, "FULL_VALUE",
                   f"Proclamation 11032, 91 FR 34085; HTS {heading}", confidence="UNCONFIRMED", conditions=conditions,
                   note="Proclamation 11032 moved lines between the annexes from 2026-06-08 (62 codes out of I-B steel, mostly to Annex III; "
                        "HVAC and agricultural equipment into the 15% tier; storage racks and lithographic plates into I-B); the lines here "
                        "are the 2026-04-06 annexes (U11), so membership after 2026-06-08 is unconfirmed.")]
        if key[0] == "III":
            periods.append(period("SEC-METAL-01", d(2028, 1, 1), None, "25", "FULL_VALUE", "Proclamation 11021; HTS 9903.82.09",
                                  status="ANNOUNCED", confidence="REPORTED", conditions=conditions[1:],
                                  description="25% of the customs value (Annex I-B) from 2028-01-01",
                                  note="Scheduled: Annex III goods move into Annex I-B on 2028-01-01, after the reviewed horizon."))
        measures.append(measure(mid, f"Section 232 metals regime of 2026: {words}", prefixes, f"{words} (HTS {heading})",
                                "s232-metals-annexes-2026.csv", "Proclamation 11021, FR doc 2026-06960; amended by Proclamation 11032",
                                periods, ["S232-S17", "S232-S18", "S232-S19", "S232-S20"], excluded=excluded,
                                notes="Annex II lines are out of 232 scope from 2026-04-06 and are left out of these scopes. UK, "
                                      "US-melted metal, Russia and column-2 rates are not held (other origins)."))
    return measures


def vehicles_wood_semis(p):
    autos = "Proclamation 10908 of 2025-03-26, 90 FR 14705"
    mhd = "Proclamation 10984 of 2025-10-17, 90 FR 48451"
    wood = "Proclamation 10976 of 2025-09-29, 90 FR 48127"
    ms = [
        measure("SEC-AUTO-01", "Section 232 passenger vehicles and light trucks", p["autos_passenger"] | p["autos_light_trucks"],
                "Passenger vehicles and light trucks (U.S. note 33(b))", "s232-product-lists.csv (autos_passenger, autos_light_trucks)", autos,
                [period("SEC-AUTO-01", d(2025, 4, 3), None, "25", "FULL_VALUE", f"{autos}; HTS 9903.94.01",
                        note="Vehicles of these lines that are not passenger vehicles or light trucks (9903.94.02) and vehicles 25 years "
                             "old or more (9903.94.04) pay no duty.")], ["S232-S25", "S232-S26"]),
        measure("SEC-AUTO-02", "Section 232 automobile parts",
                {n for q in p["auto_parts"] - GENERAL_PARTS_HEADINGS for n in NARROWED_AUTO_PARTS.get(q, [q])},
                "Automobile parts of U.S. note 33(g)",
                "s232-product-lists.csv (auto_parts)", autos,
                [period("SEC-AUTO-02", d(2025, 5, 3), None, "25", "FULL_VALUE", f"{autos}; HTS 9903.94.05")], ["S232-S25", "S232-S26"],
                notes="Parts added by the inclusions route of note 33(p) are not held. Narrowed: note 33(g) lists all of 8507.60; only "
                      "8507.60.00.10 (batteries for electric vehicles) is held, because 2025 trade press priced the other lithium-ion "
                      "batteries (8507.60.00.20) at MFN + 7.5 + 20 + 10 after May 2025, with no auto parts duty (reported)."),
        measure("SEC-AUTO-02.2", "Section 232 automobile parts: heading 8471, only automobile parts", p["auto_parts"] & GENERAL_PARTS_HEADINGS,
                "Heading 8471 as listed in U.S. note 33(g)", "s232-product-lists.csv (auto_parts)", autos,
                [period("SEC-AUTO-02", d(2025, 5, 3), None, "25", "FULL_VALUE", f"{autos}; HTS 9903.94.05", confidence="REPORTED",
                        conditions=[AUTO_PART],
                        note="Note 33(g) lists the whole heading 8471, which also holds computers that are no part of a vehicle; the "
                             "reference gives 8471.50 chips no 232 duty when the chip duty does not apply, so the duty is conditional.")],
                ["S232-S25", "S232-S26"]),
        measure("SEC-MHD-01", "Section 232 medium- and heavy-duty vehicles", p["mhd_vehicles"], "MHD vehicles (U.S. note 38(b))",
                "s232-product-lists.csv (mhd_vehicles)", mhd,
                [period("SEC-MHD-01", d(2025, 11, 1), None, "25", "FULL_VALUE", f"{mhd}; HTS 9903.74.01")], ["S232-S33", "S232-S19"]),
        measure("SEC-MHD-02", "Section 232 buses", p["buses"], "Buses of heading 8702 (U.S. note 38(c))", "s232-product-lists.csv (buses)", mhd,
                [period("SEC-MHD-02", d(2025, 11, 1), None, "10", "FULL_VALUE", f"{mhd}; HTS 9903.74.02")], ["S232-S33"]),
        measure("SEC-MHD-03", "Section 232 medium- and heavy-duty vehicle parts", p["mhd_parts"], "MHD parts of U.S. note 38(i)",
                "s232-product-lists.csv (mhd_parts)", mhd,
                [period("SEC-MHD-03", d(2025, 11, 1), None, "25", "FULL_VALUE", f"{mhd}; HTS 9903.74.08")], ["S232-S33"],
                notes="Other parts certified for US MHD production (9903.74.09) are not held."),
        measure("SEC-WOOD-01", "Section 232 softwood timber and lumber", p["softwood_timber_lumber"], "Softwood timber and lumber (U.S. note 37(b))",
                "s232-product-lists.csv (softwood_timber_lumber)", wood,
                [period("SEC-WOOD-01", d(2025, 10, 14), None, "10", "FULL_VALUE", f"{wood}; HTS 9903.76.01")], ["S232-S28", "S232-S29", "S232-S30"]),
    ]
    parts = ms[1]["productScope"]
    parts["mappingNote"] += "".join(f" The list line {line} is held as {', '.join(codes)} (see the measure's notes)."
                                    for line, codes in NARROWED_AUTO_PARTS.items())
    for mid, program, words, step, heading in [("SEC-WOOD-02", "upholstered_wooden_furniture", "upholstered wooden seats and furniture", "30", "9903.76.02"),
                                               ("SEC-WOOD-03", "kitchen_cabinets_vanities", "wooden kitchen cabinets and vanities", "50", "9903.76.03")]:
        srcs = ["S232-S28", "S232-S29", "S232-S30"]
        ms.append(measure(mid, f"Section 232 {words}", p[program], f"{words[0].upper()}{words[1:]} (U.S. note 37)", f"s232-product-lists.csv ({program})",
                          wood, [period(mid, d(2025, 10, 14), None, "25", "FULL_VALUE", f"{wood}; HTS {heading}",
                                        note="Other goods of these lines pay no duty (9903.76.04)." if mid == "SEC-WOOD-03" else "")],
                          srcs, excluded=(), notes=f"The step to {step}% is SEC-WOOD-04.{mid[-1]} (announced)."))
        ms.append(measure(f"SEC-WOOD-04.{mid[-1]}", f"Section 232 {words}: the increase to {step}% (announced)", p[program],
                          f"{words[0].upper()}{words[1:]} (U.S. note 37)", f"s232-product-lists.csv ({program})", wood, [
            period(mid, d(2025, 9, 29), d(2025, 12, 31), step, "FULL_VALUE", wood, status="ANNOUNCED",
                   description=f"{step}% of the customs value from 2026-01-01, replacing 25%"),
            period("SEC-WOOD-04", d(2025, 12, 31), None, step, "FULL_VALUE", "Proclamation of 2025-12-31 amending Proclamation 10976",
                   status="ANNOUNCED", description=f"{step}% of the customs value from 2027-01-01, replacing 25% (postponed from 2026-01-01)",
                   note="Whether the increase takes effect on 2027-01-01 is beyond the reviewed horizon; the proclamation number is unconfirmed.")],
            srcs + ["S232-S31", "S232-S32"], notes="Never in force at the reviewed horizon: listed beside the answer, never summed."))
    return ms


def rules(state, mine):
    """The stacking rules of section 3 of the README as data on the measures they change."""
    by_id = {m["id"]: m for m in mine}
    metals_old = ["SEC-STEEL-01", "SEC-ALU-01", "SEC-ALU-02", "SEC-ALU-03.1", "SEC-ALU-03.2", "SEC-ALU-05", "SEC-STEEL-03",
                  "SEC-STEEL-04a", "SEC-STEEL-05", "SEC-CU-01"]
    annex = [m for m in by_id if m.startswith("SEC-METAL-01.")]
    vehicles = ["SEC-AUTO-01", "SEC-AUTO-02", "SEC-AUTO-02.2", "SEC-MHD-01", "SEC-MHD-02", "SEC-MHD-03"]
    wood = ["SEC-WOOD-01", "SEC-WOOD-02", "SEC-WOOD-03"]
    semis = "TAR-US-35"

    def add(mid, others, reason, effect="EXCLUDE"):
        rec = by_id.get(mid) or state.edit(mid)
        existing = {r["measureId"] for r in rec.get("excludedBy", [])}
        rec["excludedBy"] = sorted(rec.get("excludedBy", []) + [bc.drop_empty({"measureId": o, "reason": reason, "effect": "STACKING_EFFECT_" + effect})
                                                                for o in others if o not in existing and o != mid], key=lambda r: r["measureId"])

    # STK-02: the fentanyl duty stacks on 232, except on chips under 9903.79.01 (note 39(a)(8)).
    add("TAR-US-14", [semis], "STK-02: semiconductor articles of 9903.79.01 are not subject to headings 9903.01.24-.76 (U.S. note 39(a)(8))")
    # STK-03 / STK-04: the reciprocal duty and Section 122 only on the non-232 part.
    for target, why in [("TAR-US-17", "STK-03: the reciprocal duty does not apply to Section 232 goods (EO 14257 sec. 3(b), note 2(v))"),
                        ("TAR-US-24", "STK-04: Section 122 does not apply to Section 232 goods (Procl. 11012, note 2(aa)(v))")]:
        add(target, metals_old, why + "; on a metal derivative it applies to the non-metal content only", "NON_METAL_PART_ONLY")
        add(target, vehicles + wood + [semis], why)
    add("TAR-US-24", annex, "STK-04: Section 122 does not apply to the metals headings 9903.82.02, .04-.19 (note 2(aa)(v)); goods under "
        "9903.82.03 (metal under 15% of the weight) pay it")
    # STK-05 / STK-06 / STK-08: vehicles, their parts and chips pay no metals duty on top.
    for mid in metals_old + annex:
        add(mid, vehicles, "STK-05/06: a good subject to the 232 autos, auto parts or MHD duties is not subject to the metals duties "
            "(EO 14289; notes 33(a)(1), 33(f)(1), 38(a)(1), 38(h)(1))")
        add(mid, [semis], "STK-08: semiconductor articles of 9903.79.01 pay no metals duty (note 39(a)(5))")
    for mid in vehicles:
        add(mid, [semis], "STK-08: semiconductor articles of 9903.79.01 pay no 232 autos, auto parts or MHD duty (note 39(a))")
    # STK-07: auto and MHD parts are not subject to the wood duties.
    for mid in wood:
        add(mid, ["SEC-AUTO-02", "SEC-AUTO-02.2", "SEC-MHD-03"], "STK-07: auto parts and MHD parts are not subject to the wood duties (notes 33(f)(4), 38(h)(4))")
    # One program per article where two lists of the same duty overlap.
    add("SEC-STEEL-03", ["SEC-STEEL-01"], "One steel duty per article: a core steel article of chapter 73 pays the steel article duty")
    add("SEC-ALU-03.1", ["SEC-ALU-01"], "One aluminium duty per article: a core aluminium article pays the aluminium article duty")
    add("SEC-ALU-05", ["SEC-ALU-03.2"], "One aluminium duty per article: the line was already a 2025 derivative")
    add("SEC-STEEL-05", ["SEC-STEEL-04a"], "One steel duty per article: the line was already an appliance derivative")
    add("SEC-MHD-03", ["SEC-AUTO-02", "SEC-MHD-01"], "One 232 vehicle or parts duty per article (note 38(h)(1): note 33(g) parts pay the auto parts "
        "duty; a complete MHD vehicle pays the vehicle duty) [inferred where both lists hold the line; both are 25%]")
    add("SEC-AUTO-02", ["SEC-MHD-01"], "One 232 vehicle or parts duty per article: a complete MHD vehicle or chassis pays the vehicle duty [inferred]")
    for n in "23":
        add(f"SEC-WOOD-0{n}", [f"SEC-WOOD-04.{n}"], "The increase replaces the 25% rate of the same heading")
    # STK-10: the forced-labour duty excludes Section 232 goods.
    add("TAR-US-32", annex + ["SEC-STEEL-01"] + vehicles + wood + [semis],
        "STK-10: Section 232 articles are excepted from the forced-labour duty (U.S. note 52)")


def reconcile(state, lists):
    semis = state.edit("TAR-US-35")
    semis["productScope"] = {"hsPrefixes": sorted(lists["semiconductors"]), "description": "Logic ICs, or articles containing one, in 8471.50, "
                             "8471.80 or 8473.30 meeting U.S. note 39(b) (HTS 9903.79.01)",
                             "mappingNote": LIST_NOTE.format("s232-product-lists.csv (semiconductors)") +
                             " The technical windows and end-use exemptions cannot be told from the code: they are the period's conditions."}
    for p in semis["periods"]:
        p["conditions"] = [SEMI_WINDOW, SEMI_END_USE]
        p["rateBasis"] = "RATE_BASIS_FULL_VALUE"
        p["confidence"] = "CONFIDENCE_CONFIRMED"
    semis["confidence"] = "CONFIDENCE_CONFIRMED"
    semis["sources"] += [{"id": s} for s in ("S232-S34", "S232-S35", "S232-S36", "S232-LISTS")]
    semis["notes"] += " Record SEC-SEMI-01 of shared/reference/us-section232 (confirmed: Proclamation 11002, CSMS 67400472, note 39)."
    regime = state.edit("TAR-US-37")
    regime["productScope"] = {"description": "Steel, aluminium, copper and derivatives: held per annex by SEC-METAL-01.1-.6, SEC-STEEL-01 and SEC-ALU-01",
                              "mappingNote": "Matches no product: the annex of each line, with its rate, basis and condition, is now held by the "
                                             "SEC-METAL-01 measures (shared/reference/us-section232). This record keeps the regime's history and notes."}
    regime["sources"] += [{"id": "S232-S17"}, {"id": "S232-S18"}]


def coverage():
    doc = bc.json.load(open(os.path.join(bc.SEED_DIR, "coverage.changes.json"), encoding="utf-8"))["coverage"]
    us = next(t for t in doc["tariffs"] if t["importer"] == "US")
    us["note"] += (" Section 232 (shared/reference/us-section232) is held for every program that reaches goods of China, with its basis, "
                   "conditions and stacking rules. Not held: the line moves of Proclamation 11032 after 2026-06-08 (the annexes are "
                   "those of 2026-04-06); UK, EU, Japan and Korea deal rates and other origins' treatment (USMCA, Russia, US-melted "
                   "metal); pharmaceuticals' firm-specific rates; steel derivatives outside chapter 73 from 2025-03-12 to 2025-08-17 "
                   "(under-covered, U8) and the 2020 steel derivatives' line list; parts added by inclusion routes; refined copper.")
    return doc


def build(state):
    rows = read("s232-product-lists.csv")
    lists = defaultdict(set)
    for r in rows:
        lists[r["program"]].add(r["hts_prefix"])
    mine = metals_before_2026(lists) + annexes(read("s232-metals-annexes-2026.csv"), lists["steel_article"]) + \
        vehicles_wood_semis(lists)
    for m in mine:
        state.create(m)
    reconcile(state, lists)
    rules(state, mine)
    doc = state.document("seed:us-section232", "Section 232 duties (shared/reference/us-section232): every program on all origins with "
                         "its rate basis, conditions and stacking rules; TAR-US-35 given its scope, TAR-US-37 held per annex", sources())
    doc["coverage"] = coverage()
    return doc
