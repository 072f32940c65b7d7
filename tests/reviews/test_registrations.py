"""What the reviews app registers from its ready(): every read of its records that the triennial
evaluation and the annual grading make through bases.review_records (Art. 16, 17)."""

import pytest

from bases import review_records


def test_art17_the_reviews_app_registers_every_review_read():
    assert set(review_records._registry) == set(review_records.READS)


def test_a_read_nobody_provides_is_refused():
    with pytest.raises(TypeError):
        review_records.register_review_reads(not_a_read=lambda: None)
