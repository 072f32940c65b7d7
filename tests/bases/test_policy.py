"""The Measures' rules (bases.policy), article by article. Pure functions: no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bases.policy import (
    REVOCATION_ARTICLES,
    Grade,
    RevocationReason,
    acceptance_failure_consequence,
    acceptance_window_closes,
    annual_grades_require_revocation,
    annual_report_due,
    annual_report_grace_ends,
    base_name_problem,
    construction_deadline,
    evaluation_requires_revocation,
    is_valid_base_name,
    is_valid_uscc,
    triennial_due,
    uscc_problem,
)

# --- Art. 8-4: construction period, extension, acceptance window -------------------------------


def test_art8_4_deadline_is_two_years_after_approval():
    assert construction_deadline(date(2024, 8, 4)) == date(2026, 8, 4)


def test_art8_4_deadline_clamps_to_month_end():
    assert construction_deadline(date(2024, 2, 29)) == date(2026, 2, 28)


def test_art8_4_extension_clamps_to_month_end():
    assert construction_deadline(date(2024, 2, 29), extension_months=12) == date(2027, 2, 28)


def test_art8_4_extension_counts_from_approval_date_not_from_clamped_deadline():
    # The whole period is approval + (24 + extension) months: a deadline clamped to 28 February does
    # not shorten the extended period (stepping from 2026-02-28 would give 2026-03-28).
    assert construction_deadline(date(2024, 2, 29), extension_months=1) == date(2026, 3, 29)
    assert construction_deadline(date(2024, 1, 31), extension_months=1) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("months", "deadline"),
    [(0, date(2026, 9, 15)), (1, date(2026, 10, 15)), (6, date(2027, 3, 15)), (12, date(2027, 9, 15))],
)
def test_art8_4_extension_up_to_twelve_months_is_allowed(months, deadline):
    assert construction_deadline(date(2024, 9, 15), months) == deadline


@pytest.mark.parametrize("months", [13, 24, -1])
def test_art8_4_extension_beyond_twelve_months_or_negative_is_refused(months):
    with pytest.raises(ValueError):
        construction_deadline(date(2024, 9, 15), months)


def test_art8_4_refusal_message_cites_the_article():
    with pytest.raises(ValueError, match="第八条第（四）项"):
        construction_deadline(date(2024, 9, 15), 13)


@pytest.mark.parametrize(
    ("deadline", "closes"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 8, 4), date(2026, 9, 4)),
        (date(2025, 12, 31), date(2026, 1, 31)),
    ],
)
def test_art8_4_acceptance_window_closes_one_month_after_deadline(deadline, closes):
    assert acceptance_window_closes(deadline) == closes


def test_art8_4_acceptance_failure_after_extension_revokes():
    assert acceptance_failure_consequence(extension_used=True) == "revoke"


def test_art8_4_acceptance_failure_without_extension_may_extend():
    assert acceptance_failure_consequence(extension_used=False) == "may_extend"


@given(
    approved_on=st.dates(min_value=date(1990, 1, 1), max_value=date(2300, 12, 31)),
    extension=st.integers(min_value=0, max_value=12),
)
def test_art8_4_deadline_properties(approved_on, extension):
    deadline = construction_deadline(approved_on, extension)
    assert deadline >= approved_on + timedelta(days=730 - 3)
    assert deadline.day <= approved_on.day
    assert (deadline.year - approved_on.year) * 12 + deadline.month - approved_on.month == 24 + extension
    assert deadline >= construction_deadline(approved_on)
    closes = acceptance_window_closes(deadline)
    assert deadline < closes <= deadline + timedelta(days=31)


# --- Art. 15: annual report ---------------------------------------------------------------------


def test_art15_report_for_a_year_is_due_31_january_next_year():
    assert annual_report_due(2025) == date(2026, 1, 31)


def test_art15_report_due_date_is_a_parameter():
    assert annual_report_due(2025, due_month=3, due_day=15) == date(2026, 3, 15)


def test_art15_impossible_due_date_is_refused():
    with pytest.raises(ValueError):
        annual_report_due(2025, due_month=2, due_day=30)


def test_art15_grace_period_ends_thirty_days_after_due_date():
    assert annual_report_grace_ends(2025) == date(2026, 3, 2)  # 31 Jan + 30 days, February of 28 days
    assert annual_report_grace_ends(2027) == date(2028, 3, 1)  # leap February


def test_art15_grace_period_is_a_parameter():
    assert annual_report_grace_ends(2025, grace_days=0) == date(2026, 1, 31)
    assert annual_report_grace_ends(2025, grace_days=15, due_month=2, due_day=28) == date(2026, 3, 15)


def test_art15_negative_grace_period_is_refused():
    with pytest.raises(ValueError):
        annual_report_grace_ends(2025, grace_days=-1)


# --- Art. 17: triennial evaluation --------------------------------------------------------------


def test_art17_first_evaluation_is_due_three_years_after_recognition():
    assert triennial_due(date(2024, 9, 1)) == date(2027, 9, 1)


def test_art17_next_evaluation_is_anchored_on_recognition_not_on_evaluation_date():
    assert triennial_due(date(2024, 9, 1), last_evaluated_on=date(2027, 11, 15)) == date(2030, 9, 1)


def test_art17_evaluation_on_the_due_date_moves_to_the_next_cycle():
    assert triennial_due(date(2024, 9, 1), last_evaluated_on=date(2027, 9, 1)) == date(2030, 9, 1)


def test_art17_evaluation_before_the_anniversary_leaves_that_anniversary_due():
    assert triennial_due(date(2024, 9, 1), last_evaluated_on=date(2027, 8, 15)) == date(2027, 9, 1)


def test_art17_due_dates_clamp_to_month_end_but_stay_anchored():
    recognized = date(2024, 2, 29)
    assert triennial_due(recognized) == date(2027, 2, 28)
    assert triennial_due(recognized, last_evaluated_on=date(2030, 2, 28)) == date(2033, 2, 28)
    assert triennial_due(recognized, last_evaluated_on=date(2033, 2, 28)) == date(2036, 2, 29)


# --- Art. 16/17: grades and revocation ----------------------------------------------------------


def test_art16_grade_has_the_five_levels_in_order():
    assert [(grade.value, str(grade.label)) for grade in Grade] == [
        ("excellent", "优秀"),
        ("good", "良好"),
        ("pass", "合格"),
        ("basic_pass", "基本合格"),
        ("fail", "不合格"),
    ]


def test_art16_two_consecutive_failures_revoke():
    assert annual_grades_require_revocation({2025: Grade.FAIL, 2026: Grade.FAIL})


def test_art16_two_consecutive_failures_as_raw_strings_revoke():
    assert annual_grades_require_revocation({2024: "good", 2025: "fail", 2026: "fail"})


def test_art16_consecutive_failures_found_in_any_order():
    assert annual_grades_require_revocation({2027: "pass", 2026: "fail", 2025: "fail", 2024: "excellent"})


def test_art16_single_failure_does_not_revoke():
    assert not annual_grades_require_revocation({2024: Grade.GOOD, 2025: Grade.FAIL, 2026: Grade.PASS})


def test_art16_failures_separated_by_a_pass_do_not_revoke():
    assert not annual_grades_require_revocation({2024: "fail", 2025: "basic_pass", 2026: "fail"})


def test_art16_gap_year_breaks_consecutiveness():
    assert not annual_grades_require_revocation({2024: Grade.FAIL, 2026: Grade.FAIL})


def test_art16_ungraded_year_breaks_consecutiveness():
    assert not annual_grades_require_revocation({2024: "fail", 2025: None, 2026: "fail"})


def test_art16_no_grades_do_not_revoke():
    assert not annual_grades_require_revocation({})


def test_art16_unknown_grade_is_an_error_not_a_pass():
    with pytest.raises(ValueError):
        annual_grades_require_revocation({2025: "不合格", 2026: "fail"})


def test_art17_failed_evaluation_revokes():
    assert evaluation_requires_revocation(Grade.FAIL)
    assert evaluation_requires_revocation("fail")


@pytest.mark.parametrize("grade", ["excellent", "good", "pass", "basic_pass", Grade.BASIC_PASS])
def test_art17_any_other_evaluation_grade_keeps_the_base(grade):
    assert not evaluation_requires_revocation(grade)


def test_revocation_reasons_and_their_articles():
    assert set(REVOCATION_ARTICLES) == set(RevocationReason.values)
    assert REVOCATION_ARTICLES[RevocationReason.CONSTRUCTION_NOT_ACCEPTED] == "第八条第（四）项"
    assert REVOCATION_ARTICLES["two_consecutive_failures"] == "第十六条"
    assert REVOCATION_ARTICLES["evaluation_failed"] == "第十七条"
    assert REVOCATION_ARTICLES["re_recognition_failed"] == "第十四条"
    assert REVOCATION_ARTICLES["bureau_decision"].startswith("第四条")
    assert str(RevocationReason.TWO_CONSECUTIVE_FAILURES.label) == "连续两年年度考核不合格"
    assert str(RevocationReason.CONSTRUCTION_NOT_ACCEPTED.label) == "建设期满未通过验收"


# --- Art. 18: the name rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["忻州市新材料中试基地", "忻州市杂粮精深加工中试基地", "  忻州市氢能中试基地\u3000"]
)
def test_art18_name_of_the_form_xinzhou_direction_pilot_base_is_valid(name):
    assert is_valid_base_name(name)
    assert base_name_problem(name) is None


def test_art18_name_matching_the_filed_direction_is_valid():
    assert is_valid_base_name("忻州市新材料中试基地", rd_direction="新材料")
    assert is_valid_base_name("忻州市新材料中试基地", rd_direction=" 新材料 ")


@pytest.mark.parametrize(
    "name",
    [
        "新材料中试基地",  # no prefix
        "山西省新材料中试基地",  # another prefix
        "忻州市新材料基地",  # no suffix
        "忻州市新材料中试平台",  # another suffix
        "忻州新材料中试基地",  # prefix without 市
    ],
)
def test_art18_name_without_prefix_or_suffix_is_refused_with_the_expected_form(name):
    assert not is_valid_base_name(name)
    assert "忻州市+研发方向+中试基地" in base_name_problem(name)
    assert "忻州市新材料中试基地" in base_name_problem(name)


@pytest.mark.parametrize("name", ["忻州市中试基地", "忻州市材中试基地"])
def test_art18_name_needs_a_direction_of_two_characters_or_more(name):
    assert "研发方向" in base_name_problem(name)
    assert not is_valid_base_name(name)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_art18_empty_name_is_refused(name):
    assert not is_valid_base_name(name)


@pytest.mark.parametrize(
    "name", ["忻州市 新材料中试基地", "忻州市新材料\u3000中试基地", "忻州市新\t材料中试基地"]
)
def test_art18_name_with_inner_whitespace_is_refused(name):
    assert "空格" in base_name_problem(name)


@pytest.mark.parametrize("name", ["忻州市忻州市新材料中试基地", "忻州市新材料中试基地中试基地"])
def test_art18_direction_must_not_repeat_prefix_or_suffix(name):
    assert not is_valid_base_name(name)
    assert "不应再含有" in base_name_problem(name)


def test_art18_direction_in_name_must_equal_filed_direction():
    problem = base_name_problem("忻州市新材料中试基地", rd_direction="新能源")
    assert problem == "名称中的研发方向“新材料”与填报的研发方向“新能源”不一致"
    assert not is_valid_base_name("忻州市新材料中试基地", rd_direction="新能源")


def test_art18_blank_filed_direction_is_ignored():
    assert is_valid_base_name("忻州市新材料中试基地", rd_direction="  ")


# --- GB 32100-2015: 统一社会信用代码 --------------------------------------------------------------

# Real, published codes (see the report for where each was found); each passes both the GB 32100
# check character and the GB 11714 organisation-code check character.
REAL_USCCS = [
    "914403001922038216",  # 华为技术有限公司 (zh.wikipedia 华为 infobox; bluesky335/IDCheck tests)
    "91110108795101314G",  # 谷歌信息技术（中国）有限公司 (bluesky335/IDCheck tests)
    "9135020026015919XW",  # 厦门象屿集团有限公司, organisation check character X (IDCheck tests)
    "913502006120495420",  # 厦门中骏集团有限公司, check character 0 (IDCheck tests)
    "91330000704202479R",  # 浙江小王子食品有限公司 (IDCheck tests)
    "91310110666007217T",  # dromara/hutool CreditCodeUtilTest
    "91110000600037341L",  # arthurdejong/python-stdnum tests/test_cn_uscc.doctest
    "121200004013590816",  # a public institution (1 = 机构编制), python-stdnum tests
    "92340621MA2PBKRXXG",  # an individual business (92), python-stdnum tests
]


@pytest.mark.parametrize("code", REAL_USCCS)
def test_uscc_real_published_codes_are_valid(code):
    assert uscc_problem(code) is None
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", ["914403001922038216", "9135020026015919xw", "91110108795101314g"])
def test_uscc_lower_case_and_surrounding_whitespace_are_accepted(code):
    assert is_valid_uscc(code.lower())
    assert is_valid_uscc(f"  {code}\n")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "应为18位（当前0位）"),
        ("91440300192203821", "应为18位（当前17位）"),
        ("9144030019220382166", "应为18位（当前19位）"),
        (None, "应为18位（当前0位）"),
    ],
)
def test_uscc_wrong_length_says_how_long_it_is(code, message):
    assert uscc_problem(code) == message


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("914403001922O38216", "第13位“O”不是允许的字符"),
        ("914403001922038Z16", "第16位“Z”不是允许的字符"),
        ("91440300I922038216", "第9位“I”不是允许的字符"),
        ("S14403001922038216", "第1位“S”不是允许的字符"),
        ("9144030019220382V6", "第17位“V”不是允许的字符"),
        ("9144030019220382-6", "第17位“-”不是允许的字符"),
    ],
)
def test_uscc_forbidden_character_is_named_with_its_position(code, message):
    assert uscc_problem(code) == message


def test_uscc_inner_space_is_refused():
    assert "空格" in uscc_problem("91440300 922038216")


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",  # check character changed
        "914403001932038216",  # one character changed
        "914403001922032816",  # two adjacent characters transposed
        "91110108795101341G",  # two adjacent characters transposed
        "9135020026015919XX",  # check character changed
    ],
)
def test_uscc_corrupted_code_fails_the_check_character(code):
    assert uscc_problem(code) == "校验码错误，请逐位核对"


def test_uscc_wrong_organisation_code_check_is_refused_even_with_a_matching_check_character():
    # Huawei's code with its organisation-code check character 1 → 2 and the 18th recomputed to match.
    assert uscc_problem("914403001922038229") == "第9–17位（组织机构代码）校验码错误，请逐位核对"


def test_uscc_early_pilot_codes_outside_the_standard_are_refused():
    # Issued in Xiamen before GB 32100-2015; they do not satisfy its check (noted by hutool and IDCheck).
    assert not is_valid_uscc("91350211M00013FA1N")


ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(code=st.sampled_from(REAL_USCCS), position=st.integers(0, 17), replacement=st.sampled_from(ALPHABET))
def test_uscc_any_single_character_change_invalidates(code, position, replacement):
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    corrupted = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(corrupted)


@given(code=st.sampled_from(REAL_USCCS), position=st.integers(0, 15))
def test_uscc_any_adjacent_transposition_in_the_first_17_invalidates(code, position):
    if code[position] != code[position + 1]:
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        assert not is_valid_uscc(swapped)
    else:
        assert is_valid_uscc(code)
