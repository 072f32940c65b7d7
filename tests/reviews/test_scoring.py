"""Panel arithmetic: weighted totals, the trimmed mean from 5 experts, the
threshold and the majority, ties, fewer than 5 experts, outliers."""

from decimal import Decimal as D

from portal.scoring import sheet_total
from reviews.scoring import Vote, aggregate

RULES = {"threshold": D("70"), "trim_min": 5, "outlier_points": D("15")}


def votes(*rows):
    return [Vote(key=i, total=D(str(total)), recommends_pass=ok) for i, (total, ok) in enumerate(rows)]


def test_sheet_total_weights_each_criterion_on_a_hundred_point_scale():
    # 8/10 of 60 + 5/5 of 40 = 48 + 40
    assert sheet_total([(D("8"), D("10"), D("60")), (D("5"), D("5"), D("40"))]) == D("88.00")
    assert sheet_total([(D("7.5"), D("10"), D("33.33")), (D("10"), D("10"), D("66.67"))]) == D("91.67")


def test_five_experts_drop_one_highest_and_one_lowest():
    result = aggregate(votes((90, True), (80, True), (70, True), (60, False), (20, False)), **RULES)
    assert result.trimmed and result.score == D("70.00")  # (80 + 70 + 60) / 3
    assert result.mean == D("64.00")
    assert result.dropped == [0, 4]
    assert result.passed  # 70 ≥ 70 and 3 of 5 recommend


def test_fewer_than_five_experts_take_the_plain_mean():
    result = aggregate(votes((90, True), (60, True), (61, False)), **RULES)
    assert not result.trimmed and result.score == D("70.33")
    assert result.passed


def test_ties_at_the_extremes_drop_only_one_of_each():
    result = aggregate(votes((80, True), (80, True), (80, True), (50, True), (50, True)), **RULES)
    assert result.score == D("70.00")  # (80 + 80 + 50) / 3
    assert len(result.dropped) == 2


def test_a_tie_of_recommendations_is_not_a_majority():
    result = aggregate(votes((85, True), (85, True), (85, False), (85, False)), **RULES)
    assert result.reaches_threshold and not result.majority_pass and not result.passed


def test_below_threshold_fails_even_with_every_recommendation():
    result = aggregate(votes((69.99, True), (69.99, True), (69.99, True)), **RULES)
    assert not result.reaches_threshold and not result.passed


def test_scores_far_from_the_mean_are_flagged():
    result = aggregate(votes((80, True), (82, True), (78, True), (40, False)), **RULES)
    assert result.outliers == [3]  # mean 70: 40 is 30 away; the others 8–12


def test_no_submitted_sheet_gives_no_score():
    result = aggregate([], **RULES)
    assert result.score is None and not result.passed and result.submitted == 0
