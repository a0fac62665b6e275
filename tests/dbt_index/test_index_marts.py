"""The annual index and the procedures' online share, built by a real `dbt build`.

Upstream relations (units, spines, the yearly unit counts, appraisal, the procedure
catalogue) are hand-made rows (upstream_rows.sql); the seeds, models, data tests and unit
tests of the index folders run for real on a fresh warehouse. Every expected number
below is worked out by hand in the comments. The online-service marts select from the
unit x period counts: their counting is tested by the unit tests of intermediate/units
and on the real core (test_on_the_real_core.py).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from cchc import dbt_runner, warehouse
from tests.dbt_index.kit import CAUTIOUS, SELECTION, query

pytestmark = pytest.mark.slow

UPSTREAM_ROWS = Path(__file__).with_name("upstream_rows.sql")
VARS = {"report_year": 2025}


def _build(dsn: str, target: Path, *extra_args: str) -> None:
    # The upstream rows stand in for dbt's own models, so they belong to dbt's login.
    with psycopg.connect(warehouse.login_dsn(dsn, "transformer"), autocommit=True) as conn:
        conn.execute(UPSTREAM_ROWS.read_text(encoding="utf-8"))
    args = ["build", "--select", *SELECTION, *CAUTIOUS, *extra_args]
    dbt_runner.run_dbt(args, dsn, VARS, target_path=target, quiet=True)


@pytest.fixture(scope="module")
def index_dsn(warehouse_dsn, tmp_path_factory) -> str:
    _build(warehouse_dsn, tmp_path_factory.mktemp("dbt") / "target")
    return warehouse_dsn


def _index(dsn: str) -> dict[tuple, tuple]:
    found = query(
        dsn,
        """
        select ranking_unit_code, period_year, league, computed_points, appraisal_points,
               survey_points, satisfaction_points, total_score, rank, previous_rank,
               rank_change, classification, methodology_version
        from marts.mart_par_index""",
    )
    return {(r[0], r[1]): r[2:] for r in found}


def D(value: str) -> Decimal:
    return Decimal(value)


def test_departments_league(index_dsn):
    index = _index(index_dsn)
    # 2024: no case counts, so every computed criterion is "no cases" (10 points);
    # totals 10 + appraisal + survey + satisfaction % / 100 × 20.
    assert index["STP", 2024][5:8] == (D("93.00"), 1, None)  # 10 + 55 + 9 + 19
    assert index["SKH", 2024][5:8] == (D("84.00"), 2, None)  # 10 + 50 + 8 + 16
    assert index["STC", 2024][5:8] == (D("79.00"), 3, None)  # 10 + 45 + 8 + 16
    assert index["SNV", 2024][5:8] == (D("65.00"), 4, None)  # 10 + 40 + 5 + 10
    assert index["SXD", 2024][5:8] == (D("10.00"), 5, None)  # no appraisal row at all
    # 2025: SKH merged into STC on 2025-07-01 and is not ranked; the tie shares rank 2.
    assert ("SKH", 2025) not in index
    assert index["SNV", 2025] == (
        "DEPARTMENTS",
        D("10.00"),
        D("55.00"),
        D("9.00"),
        D("18.00"),
        D("92.00"),
        1,
        4,
        3,
        "Xuất sắc",
        "CCHC_766_DEFAULT",
    )
    assert index["STP", 2025][5:10] == (D("86.50"), 2, 1, -1, "Tốt")
    assert index["SXD", 2025][5:10] == (D("86.50"), 2, 5, 3, "Tốt")
    # STC with SKH's cases: on time (30 + 8) / (30 + 10) = 95 % → 1.0; SKH's overdue
    # case → 0; apology 1 of 2 → 0; no online case → 5.0. 6.0 + 50 + 7 + 15 = 78.
    assert index["STC", 2025][1:10] == (
        D("6.00"),
        D("50.00"),
        D("7.00"),
        D("15.00"),
        D("78.00"),
        4,
        3,
        -1,
        "Khá",
    )


def test_districts_league_rolls_communes_up(index_dsn):
    index = _index(index_dsn)
    # H1 with commune H1.X1, from summed counts: on time 49/50 = 98 % → 2.0; apology
    # 1/1 → 1.5; no overdue → 0.5; online 2/5 = 40 % → 1.6; full process, payment and
    # digitised 2/3 each → 3 × 0.8333… = 2.5 exactly (the rounded parts make 2.49).
    # 8.1 + 50 + 8.5 + 91.25 / 100 × 20 = 84.85.
    assert index["H1", 2025] == (
        "DISTRICTS",
        D("8.10"),
        D("50.00"),
        D("8.50"),
        D("18.25"),
        D("84.85"),
        2,
        1,
        -1,
        "Tốt",
        "CCHC_766_DEFAULT",
    )
    assert index["H2", 2025][5:10] == (D("100.00"), 1, 1, 0, "Xuất sắc")
    assert index["H1", 2024][5:7] == index["H2", 2024][5:7] == (D("10.00"), 1)


def test_criteria_of_a_district(index_dsn):
    found = query(
        index_dsn,
        """
        select criterion_code, source, measure_value, points, max_points, counted, no_cases
        from marts.mart_par_index_criteria
        where ranking_unit_code = 'H1' and period_year = 2025""",
    )
    got = {(r[0], r[1]): (round(r[2], 4), r[3], r[4], r[5], r[6]) for r in found}
    assert got == {
        ("TTHC_ON_TIME", "computed"): (D("98"), D("2.00"), D("3.00"), True, False),
        ("TTHC_APOLOGY", "computed"): (D("100"), D("1.50"), D("1.50"), True, False),
        ("TTHC_NO_OVERDUE", "computed"): (D("0"), D("0.50"), D("0.50"), True, False),
        ("DVC_ONLINE", "computed"): (D("40"), D("1.60"), D("2.00"), True, False),
        ("DVC_FULL_PROCESS", "computed"): (D("66.6667"), D("0.83"), D("1.00"), True, False),
        ("DVC_PAYMENT", "computed"): (D("66.6667"), D("0.83"), D("1.00"), True, False),
        ("DVC_DIGITISED", "computed"): (D("66.6667"), D("0.83"), D("1.00"), True, False),
        ("SURVEY", "appraisal"): (D("8.5"), D("8.50"), D("10.00"), True, False),
        ("SATISFACTION_PCT", "appraisal"): (D("91.25"), D("18.25"), D("20.00"), True, False),
        ("TCBM", "appraisal"): (D("50"), D("50.00"), None, True, False),
    }


def test_computed_criterion_also_appraised_and_unit_without_cases(index_dsn):
    stc = query(
        index_dsn,
        """
        select source, points, counted from marts.mart_par_index_criteria
        where ranking_unit_code = 'STC' and period_year = 2025 and criterion_code = 'TTHC_ON_TIME'
        order by source""",
    )
    assert stc == [("appraisal", D("3.00"), False), ("computed", D("1.00"), True)]
    sxd = query(
        index_dsn,
        """
        select criterion_code, measure_value, points from marts.mart_par_index_criteria
        where ranking_unit_code = 'SXD' and period_year = 2025 and no_cases order by 1""",
    )
    assert sxd == [
        ("DVC_DIGITISED", None, D("1.00")),
        ("DVC_FULL_PROCESS", None, D("1.00")),
        ("DVC_ONLINE", None, D("2.00")),
        ("DVC_PAYMENT", None, D("1.00")),
        ("TTHC_APOLOGY", None, D("1.50")),
        ("TTHC_NO_OVERDUE", None, D("0.50")),
        ("TTHC_ON_TIME", None, D("3.00")),
    ]


def test_procedures_online_share(index_dsn):
    assert query(
        index_dsn,
        """
        select period_year, procedures_in_force, procedures_online, procedures_full_process,
               procedures_online_share, full_process_share
        from marts.mart_procedures_online_share order by 1""",
    ) == [
        (2024, 4, 2, 1, D(50), D(25)),
        (2025, 4, 3, 2, D(75), D(50)),
    ]


# A province's own methodology for 2025, as seed rows only: on time 4.0 at 100 %, 3.0
# at ≥ 97 %; online full points (1.0) from 30 %. The default keeps 2018-2024.
PROVINCE_VERSIONS = """\
methodology_version,methodology_name,legal_reference,province_decision,valid_from_year,valid_to_year
CCHC_766_DEFAULT,Phương pháp mặc định,Decision 766/QĐ-TTg (2022),,2018,2024
PROVINCE_2025,Bộ chỉ số CCHC của tỉnh năm 2025,Decision 766/QĐ-TTg (2022),Quyết định của UBND tỉnh (thử nghiệm),2025,2025
"""
PROVINCE_CRITERIA = """\
PROVINCE_2025,TTHC_ON_TIME,Tỷ lệ hồ sơ giải quyết đúng hạn,computed,on_time_rate,step,,4.0,test
PROVINCE_2025,TTHC_APOLOGY,Xin lỗi khi giải quyết quá hạn,computed,apology_compliance_rate,step,,1.5,test
PROVINCE_2025,TTHC_NO_OVERDUE,Không có hồ sơ quá hạn tồn đọng,computed,pending_overdue,full_if_zero,,0.5,test
PROVINCE_2025,DVC_ONLINE,Tỷ lệ hồ sơ trực tuyến,computed,online_rate,linear,30,1.0,test
PROVINCE_2025,DVC_FULL_PROCESS,Tỷ lệ hồ sơ trực tuyến toàn trình,computed,full_process_online_rate,linear,80,1.0,test
PROVINCE_2025,DVC_PAYMENT,Tỷ lệ thanh toán trực tuyến,computed,online_payment_rate,linear,80,1.0,test
PROVINCE_2025,DVC_DIGITISED,Tỷ lệ số hóa kết quả giải quyết,computed,digitised_result_rate,linear,80,1.0,test
PROVINCE_2025,SURVEY,Điểm điều tra xã hội học,survey,appraisal_score,as_scored,,10.0,test
PROVINCE_2025,SATISFACTION_PCT,Đo lường sự hài lòng,satisfaction,appraisal_score,pct_of_max,,20.0,test
"""
PROVINCE_STEPS = """\
PROVINCE_2025,TTHC_ON_TIME,100,4.0
PROVINCE_2025,TTHC_ON_TIME,97,3.0
PROVINCE_2025,TTHC_APOLOGY,100,1.5
"""
PROVINCE_BANDS = "".join(
    f"PROVINCE_2025,{score},{label},test\n"
    for score, label in [(90, "Xuất sắc"), (80, "Tốt"), (70, "Khá"), (50, "Trung bình"), (0, "Yếu")]
)


def test_second_methodology_is_seed_rows_only(fresh_warehouse_dsn, tmp_path, monkeypatch):
    project = tmp_path / "dbt"
    shutil.copytree(
        dbt_runner.DBT_PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    seeds = project / "seeds" / "methodology"
    (seeds / "par_methodology_versions.csv").write_text(PROVINCE_VERSIONS, encoding="utf-8")
    for name, rows in [
        ("par_criteria.csv", PROVINCE_CRITERIA),
        ("par_criterion_steps.csv", PROVINCE_STEPS),
        ("par_classification_bands.csv", PROVINCE_BANDS),
    ]:
        with (seeds / name).open("a", encoding="utf-8") as seed:
            seed.write(rows)
    monkeypatch.setattr(dbt_runner, "DBT_PROJECT_DIR", project)

    # The unit tests mock the seeds: the default build has run them already.
    _build(fresh_warehouse_dsn, tmp_path / "target", "--exclude", "test_type:unit")

    index = _index(fresh_warehouse_dsn)
    # 2024 keeps the default: unchanged from the default build.
    assert index["STC", 2024][5:7] == (D("79.00"), 3)
    assert index["STC", 2024][-1] == "CCHC_766_DEFAULT"
    # H1 2025: on time 98 % → 3.0 (default 2.0); online 40 % ≥ 30 % → 1.0 (default
    # 1.6); apology 1.5, overdue 0.5, 3 × 0.8333… = 2.5 as before. 8.5 + 76.75 = 85.25.
    assert index["H1", 2025] == (
        "DISTRICTS",
        D("8.50"),
        D("50.00"),
        D("8.50"),
        D("18.25"),
        D("85.25"),
        2,
        1,
        -1,
        "Tốt",
        "PROVINCE_2025",
    )
    # STC 2025: 95 % < 97 % → 0 (default 1.0); no online case → 1.0 of 1.0 plus 3 × 1.0.
    # 4.0 + 50 + 7 + 15 = 76.
    assert index["STC", 2025][1:7] == (D("4.00"), D("50.00"), D("7.00"), D("15.00"), D("76.00"), 4)
    assert query(
        fresh_warehouse_dsn,
        """
        select points, max_points from marts.mart_par_index_criteria
        where ranking_unit_code = 'H1' and period_year = 2025 and criterion_code = 'TTHC_ON_TIME'
    """,
    ) == [(D("3.00"), D("4.00"))]
