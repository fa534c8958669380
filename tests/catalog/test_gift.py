"""Tests for the GIFT question-bank parser (app/catalog/gift.py)."""
from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog import gift
from app.quizzes.types import TYPES

ROOT = Path(__file__).resolve().parents[2]
GIFT_PY = ROOT / "app" / "catalog" / "gift.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gift"

GiftAnswer, GiftError, GiftQuestion = gift.GiftAnswer, gift.GiftError, gift.GiftQuestion
GiftResult, parse_gift, parse_gift_file = gift.GiftResult, gift.parse_gift, gift.parse_gift_file


def one(text: str) -> GiftQuestion:
    """Parse text that must hold exactly one valid question, and return it."""
    result = parse_gift(text, "bai.gift")
    assert result.errors == (), [str(e) for e in result.errors]
    assert len(result.questions) == 1
    return result.questions[0]


def error_of(text: str) -> GiftError:
    """Parse text that must produce exactly one error and no question, and return the error."""
    result = parse_gift(text, "bai.gift")
    assert result.questions == ()
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    assert result.errors[0].file == "bai.gift"
    return result.errors[0]


def answers(q: GiftQuestion) -> list[tuple[str, float]]:
    return [(a.text, a.fraction) for a in q.answers]


# --- multiple choice --------------------------------------------------------------------------

def test_multichoice_equals_is_right_and_tilde_is_wrong() -> None:
    q = one("Thủ đô của Việt Nam là gì? {=Hà Nội ~Huế ~Đà Nẵng}")
    assert q.type == "multichoice"
    assert q.text == "Thủ đô của Việt Nam là gì?"
    assert answers(q) == [("Hà Nội", 1.0), ("Huế", 0.0), ("Đà Nẵng", 0.0)]
    assert q.missing_word is False and q.text_format == "moodle"


def test_multichoice_answers_may_span_lines_and_carry_feedback() -> None:
    q = one("Muốn bật điện thoại, bạn làm gì? {\n"
            "  =Nhấn giữ nút nguồn vài giây #Đúng. Nút nguồn thường ở cạnh phải.\n"
            "  ~Chạm nhẹ vào màn hình #Khi máy tắt, chạm màn hình không có tác dụng.\n"
            "  ~Rút sạc ra\n"
            "}")
    assert [a.feedback for a in q.answers] == [
        "Đúng. Nút nguồn thường ở cạnh phải.",
        "Khi máy tắt, chạm màn hình không có tác dụng.",
        None,
    ]
    assert q.answers[0].text == "Nhấn giữ nút nguồn vài giây"


def test_general_feedback_follows_four_hashes() -> None:
    q = one("Số khẩn cấp của công an? {=113 ~115 ####Nhớ: 113 công an, 114 cứu hỏa, 115 cấp cứu.}")
    assert q.general_feedback == "Nhớ: 113 công an, 114 cứu hỏa, 115 cấp cứu."
    assert answers(q) == [("113", 1.0), ("115", 0.0)]


def test_empty_feedback_after_hash_is_none() -> None:
    q = one("Chọn đúng? {=Có # ~Không}")
    assert q.answers[0].feedback is None


def test_weighted_tilde_list_without_equals_is_multiresponse() -> None:
    q = one("Những việc nào giúp điện thoại an toàn hơn? {\n"
            "~%50%Đặt mật khẩu #Đúng.\n~%50%Cập nhật phần mềm\n~%-100%Cho người lạ mượn máy\n}")
    assert q.type == "multiresponse"
    assert answers(q) == [("Đặt mật khẩu", 0.5), ("Cập nhật phần mềm", 0.5),
                          ("Cho người lạ mượn máy", -1.0)]
    assert q.answers[0].feedback == "Đúng."


def test_multiresponse_accepts_three_thirds_like_moodle() -> None:
    q = one("Ứng dụng nào do Nhà nước phát hành? {~%33.333%VNeID ~%33.333%VssID "
            "~%33.333%Cổng Dịch vụ công ~%-100%Trò chơi lạ}")
    assert q.type == "multiresponse"


def test_multiresponse_weights_must_add_up_to_100() -> None:
    e = error_of("::Q:: Chọn các ý đúng. {~%50%Một ~%30%Hai ~Ba}")
    assert (e.line, e.code) == (1, "weights_sum")
    assert "80%" in e.message


def test_multiresponse_with_a_single_full_weight_is_still_multiresponse() -> None:
    # Moodle's rule: no `=` in the block means check boxes, whatever the weights.
    assert one("Chọn ý đúng. {~%100%Một ~Hai ~Ba}").type == "multiresponse"


def test_weighted_list_with_an_equals_answer_is_single_answer_with_partial_credit() -> None:
    q = one("Chọn câu hay nhất. {=Tốt nhất ~%50%Tạm được ~Sai}")
    assert q.type == "multichoice"
    assert answers(q) == [("Tốt nhất", 1.0), ("Tạm được", 0.5), ("Sai", 0.0)]


def test_two_equals_answers_are_both_right_in_a_single_answer_question() -> None:
    assert answers(one("Số cứu hỏa? {=114 =Một một bốn ~113}"))[:2] == [("114", 1.0),
                                                                      ("Một một bốn", 1.0)]


def test_single_answer_question_needs_an_answer_worth_100_percent() -> None:
    e = error_of("\n\n::Q:: Chọn. {=%50%Nửa đúng ~Sai}")
    assert (e.line, e.code) == (3, "no_full_credit")
    assert "50%" in e.message


def test_tilde_list_without_weights_has_no_correct_answer() -> None:
    e = error_of("// [tag:0.1]\n::Q:: Câu nào đúng?\n{~Một ~Hai}")
    assert (e.file, e.line, e.code) == ("bai.gift", 2, "no_correct")


def test_weight_above_100_is_an_error_on_its_line() -> None:
    e = error_of("::Q:: Chọn.\n{\n~%50%Một\n~%150%Hai\n}")
    assert (e.line, e.code) == (4, "bad_weight")


def test_weight_that_is_not_a_number_is_an_error() -> None:
    assert error_of("Chọn. {~%nửa%Một ~%50%Hai}").code == "bad_weight"


def test_percent_without_closing_percent_is_plain_text() -> None:
    assert answers(one("Bao nhiêu? {=50% dân số ~%10 dân số}")) == [("50% dân số", 1.0),
                                                                   ("%10 dân số", 0.0)]


def test_multichoice_needs_two_choices() -> None:
    assert error_of("Chọn. {~%100%Chỉ một}").code == "too_few_answers"


def test_empty_answer_is_an_error_on_its_line() -> None:
    e = error_of("::Q:: Chọn.\n{\n=Có\n~ #phản hồi mà không có đáp án\n}")
    assert (e.line, e.code) == (4, "empty_answer")


def test_text_before_first_marker_is_an_error() -> None:
    e = error_of("::Q:: Chọn. {Hà Nội =Huế ~Vinh}")
    assert e.code == "no_marker" and "Hà Nội" in e.message


# --- true / false -----------------------------------------------------------------------------

@pytest.mark.parametrize(("mark", "correct"), [("T", True), ("TRUE", True), ("F", False),
                                               ("FALSE", False)])
def test_truefalse_accepts_moodle_spellings(mark: str, correct: bool) -> None:
    q = one(f"Zalo là ứng dụng nhắn tin. {{{mark}}}")
    assert q.type == "truefalse"
    assert answers(q) == [("true", 1.0 if correct else 0.0), ("false", 0.0 if correct else 1.0)]
    assert [a.feedback for a in q.answers] == [None, None]


def test_truefalse_feedback_order_is_wrong_choice_then_right_choice_for_true() -> None:
    q = one("Mật khẩu phải giữ bí mật. {T#Sai rồi, phải giữ kín.#Đúng vậy!}")
    true, false = q.answers
    assert (true.fraction, true.feedback) == (1.0, "Đúng vậy!")
    assert (false.fraction, false.feedback) == (0.0, "Sai rồi, phải giữ kín.")


def test_truefalse_feedback_order_is_wrong_choice_then_right_choice_for_false() -> None:
    q = one("Cho người lạ mã OTP là an toàn. {FALSE#Không, OTP là bí mật.#Chính xác.}")
    true, false = q.answers
    assert (true.fraction, true.feedback) == (0.0, "Không, OTP là bí mật.")
    assert (false.fraction, false.feedback) == (1.0, "Chính xác.")


def test_truefalse_with_one_feedback_gives_it_to_the_wrong_choice() -> None:
    q = one("Trời mưa. {T #Hãy nhìn ra cửa sổ.}")
    assert [a.feedback for a in q.answers] == [None, "Hãy nhìn ra cửa sổ."]


def test_truefalse_feedback_may_contain_equals_and_general_feedback() -> None:
    q = one("Một cộng một bằng hai. {T#Sai: 1+1=2.#Đúng.####Phép cộng cơ bản.}")
    assert q.type == "truefalse"
    assert q.answers[1].feedback == "Sai: 1+1=2."
    assert q.general_feedback == "Phép cộng cơ bản."


def test_lowercase_true_is_not_truefalse_as_in_moodle() -> None:
    e = error_of("Đúng hay sai? {true}")
    assert e.code == "no_marker" and "{T}" in e.message


# --- short answer -----------------------------------------------------------------------------

def test_shortanswer_accepts_several_right_answers() -> None:
    q = one("Tên ứng dụng định danh điện tử là gì? {=VNeID =VNe ID}")
    assert q.type == "shortanswer"
    assert answers(q) == [("VNeID", 1.0), ("VNe ID", 1.0)]


def test_shortanswer_weights_and_feedback() -> None:
    q = one("Thủ đô? {=Hà Nội #Chính xác! =%50%Ha Noi #Nhớ viết có dấu.}")
    assert answers(q) == [("Hà Nội", 1.0), ("Ha Noi", 0.5)]
    assert q.answers[1].feedback == "Nhớ viết có dấu."


def test_shortanswer_needs_a_full_credit_answer() -> None:
    assert error_of("Thủ đô? {=%50%Ha Noi}").code == "no_full_credit"


# --- matching ---------------------------------------------------------------------------------

def test_matching_pairs_have_left_text_and_right_match() -> None:
    q = one("Ghép ứng dụng với công dụng. {\n=Zalo -> Nhắn tin\n=VNeID -> Định danh điện tử\n"
            "=VssID -> Bảo hiểm xã hội\n}")
    assert q.type == "matching"
    assert [(a.text, a.match, a.fraction) for a in q.answers] == [
        ("Zalo", "Nhắn tin", 1.0), ("VNeID", "Định danh điện tử", 1.0),
        ("VssID", "Bảo hiểm xã hội", 1.0)]


def test_matching_empty_left_side_is_an_extra_wrong_choice() -> None:
    q = one("Ghép. {=Gọi điện -> Điện thoại =Chụp ảnh -> Máy ảnh = -> Đèn pin}")
    assert [(a.text, a.match, a.fraction) for a in q.answers][2] == ("", "Đèn pin", 0.0)


def test_matching_with_only_two_pairs_is_an_error() -> None:
    e = error_of("\n::Q:: Ghép. {=Zalo -> Nhắn tin =VNeID -> Định danh}")
    assert (e.line, e.code) == (2, "match_count")


def test_matching_needs_two_real_pairs_even_with_extra_choices() -> None:
    assert error_of("Ghép. {=Zalo -> Nhắn tin = -> Đèn pin = -> Bản đồ}").code == "match_count"


def test_matching_line_without_arrow_is_reported_on_its_line() -> None:
    e = error_of("::Q:: Ghép.\n{\n=Zalo -> Nhắn tin\n=VNeID Định danh\n=VssID -> Bảo hiểm\n}")
    assert (e.line, e.code) == (4, "match_arrow")
    assert "VNeID Định danh" in e.message


def test_matching_pair_with_empty_right_side_is_an_error() -> None:
    assert error_of("Ghép. {=Zalo -> =VNeID -> Định danh =VssID -> BHXH}").code == "empty_answer"


# --- missing word -----------------------------------------------------------------------------

def test_answers_in_the_middle_make_a_missing_word_question() -> None:
    q = one("Muốn gọi công an, bấm số {=113 ~115 ~114} trên điện thoại.")
    assert q.missing_word is True
    assert q.text == "Muốn gọi công an, bấm số _____ trên điện thoại."
    assert q.type == "multichoice"


def test_missing_word_blank_may_open_the_text() -> None:
    q = one("{=Hà Nội ~Huế} là thủ đô của Việt Nam.")
    assert (q.text, q.missing_word) == ("_____ là thủ đô của Việt Nam.", True)


def test_punctuation_after_the_block_makes_a_missing_word() -> None:
    assert one("Thủ đô là {=Hà Nội}.").text == "Thủ đô là _____."


def test_answers_at_the_end_are_not_a_missing_word_even_before_a_comment() -> None:
    q = one("Thủ đô là gì? {=Hà Nội ~Huế}\n// [tag:0.1]")
    assert (q.text, q.missing_word) == ("Thủ đô là gì?", False)
    assert q.tags == ("0.1",)


# --- titles, comments, tags, id, category, formats --------------------------------------------

def test_title_sits_between_double_colons() -> None:
    q = one("::NCT-01-Q01:: Điện thoại có mấy nút? {=Ba ~Một}")
    assert (q.title, q.text) == ("NCT-01-Q01", "Điện thoại có mấy nút?")


def test_question_without_title_has_no_title() -> None:
    assert one("Chọn. {=Có ~Không}").title is None


def test_empty_title_counts_as_no_title() -> None:
    assert one("::::Chọn. {=Có ~Không}").title is None


def test_unclosed_title_is_an_error() -> None:
    e = error_of("\n::NCT-01-Q01 Chọn. {=Có ~Không}")
    assert (e.line, e.code) == (2, "unclosed_title")


def test_comment_lines_are_ignored_even_inside_the_answer_block() -> None:
    q = one("// Câu hỏi về Zalo\n::Q:: Zalo dùng để làm gì? {\n=Nhắn tin\n// ghi chú cho người soạn\n"
            "~Nấu cơm\n}")
    assert answers(q) == [("Nhắn tin", 1.0), ("Nấu cơm", 0.0)]
    assert q.line == 2


def test_double_slash_inside_a_line_is_not_a_comment() -> None:
    q = one("Địa chỉ nào là cổng dịch vụ công? {=https\\://dichvucong.gov.vn ~http\\://vi-du.vn}")
    assert q.answers[0].text == "https://dichvucong.gov.vn"


def test_id_and_tags_come_from_the_comment_before_the_question() -> None:
    q = one("// [id:NCT-01-Q01] [tag:0.1]\n// [tag:0.2] [tag:0.1] [tag: 1.3 ]\n"
            "::NCT-01-Q01:: Chọn. {=Có ~Không}")
    assert q.idnumber == "NCT-01-Q01"
    assert q.tags == ("0.1", "0.2", "1.3")


def test_escaped_bracket_inside_tag_and_id() -> None:
    q = one("// [id:a\\]b] [tag:x\\]y]\nChọn. {=Có ~Không}")
    assert (q.idnumber, q.tags) == ("a]b", ("x]y",))


def test_question_without_comment_has_no_tags_or_id() -> None:
    q = one("Chọn. {=Có ~Không}")
    assert (q.tags, q.idnumber) == ((), None)


def test_comment_only_block_without_tags_is_ignored() -> None:
    result = parse_gift("// Ngân hàng câu hỏi mô-đun NCT-01\n\nChọn. {=Có ~Không}")
    assert result.errors == () and len(result.questions) == 1


def test_tags_separated_from_the_question_by_a_blank_line_are_reported() -> None:
    result = parse_gift("// [tag:0.1]\n\n::Q:: Chọn. {=Có ~Không}", "bai.gift")
    assert [(e.line, e.code) for e in result.errors] == [(1, "orphan_comment")]
    assert result.questions[0].tags == ()


@pytest.mark.parametrize("fmt", ["moodle", "html", "markdown", "plain"])
def test_text_format_prefix_is_read_and_removed(fmt: str) -> None:
    q = one(f"::Q::[{fmt}]Chọn **một** ý. {{=Có ~Không}}")
    assert (q.text_format, q.text) == (fmt, "Chọn **một** ý.")


def test_unknown_bracket_prefix_stays_in_the_text() -> None:
    q = one("[Lưu ý] Chọn một ý. {=Có ~Không}")
    assert (q.text_format, q.text) == ("moodle", "[Lưu ý] Chọn một ý.")


def test_markdown_image_survives_in_the_text() -> None:
    q = one("[markdown]Biểu tượng này là gì?\\n\\n![Biểu tượng Zalo màu xanh](images/zalo.svg)"
            " {=Zalo ~Facebook}")
    assert q.text == "Biểu tượng này là gì?\n\n![Biểu tượng Zalo màu xanh](images/zalo.svg)"


def test_category_applies_to_the_following_questions() -> None:
    result = parse_gift("Trước. {=Có ~Không}\n\n$CATEGORY: $course$/top/NCT-01\n\n"
                        "Sau một. {=Có ~Không}\n\nSau hai. {T}\n\n$CATEGORY: Khác\n\nCuối. {F}")
    assert result.errors == ()
    assert [q.category for q in result.questions] == [None, "$course$/top/NCT-01",
                                                      "$course$/top/NCT-01", "Khác"]


def test_category_followed_by_a_question_without_blank_line_is_an_error() -> None:
    e = error_of("\n$CATEGORY: NCT-01\n::Q:: Chọn. {=Có ~Không}")
    assert (e.line, e.code) == (2, "category_block")


def test_empty_category_is_an_error() -> None:
    assert error_of("$CATEGORY:   ").code == "empty_category"


# --- escapes, layout, line endings ------------------------------------------------------------

def test_escapes_give_literal_special_characters_everywhere() -> None:
    q = one("::Câu hỏi \\:: khó:: Trong toán, \\{x\\} \\~ y \\= z \\#1? {\n"
            "=a \\= b \\~ c \\# d \\{e\\} f\\:g #phản hồi \\# số 1 \\{ok\\}\n~sai\n"
            "####Xem thêm\\nở sách \\#2}")
    assert q.title == "Câu hỏi :: khó"
    assert q.text == "Trong toán, {x} ~ y = z #1?"
    assert q.answers[0].text == "a = b ~ c # d {e} f:g"
    assert q.answers[0].feedback == "phản hồi # số 1 {ok}"
    assert q.general_feedback == "Xem thêm\nở sách #2"


def test_backslash_n_is_a_newline_and_double_backslash_is_a_backslash() -> None:
    q = one("Dòng một\\nDòng hai C:\\\\thư mục? {=Có ~Không}")
    assert q.text == "Dòng một\nDòng hai C:\\thư mục?"


def test_double_backslash_before_a_brace_leaves_the_brace_active() -> None:
    q = one("Đường dẫn C:\\\\ {=Có ~Không}")
    assert q.text == "Đường dẫn C:\\"
    assert q.type == "multichoice"


def test_multiline_question_keeps_its_lines_and_starts_at_the_title_line() -> None:
    result = parse_gift("\n\n// [tag:0.1]\n::Q1::\nBác Tư muốn gọi cho cháu.\nBác nên mở ứng dụng nào?\n"
                        "{\n=Điện thoại\n~Máy ảnh\n}\n\n\n::Q2:: Câu tiếp theo. {T}\n")
    assert result.errors == ()
    q1, q2 = result.questions
    assert q1.text == "Bác Tư muốn gọi cho cháu.\nBác nên mở ứng dụng nào?"
    assert (q1.line, q2.line) == (4, 13)


def test_indentation_and_trailing_spaces_are_trimmed_like_moodle() -> None:
    q = one("   ::Q::   Chọn một ý.   \n      {\n    =Có   \n\t~Không\n   }   ")
    assert (q.title, q.text, answers(q)) == ("Q", "Chọn một ý.", [("Có", 1.0), ("Không", 0.0)])


def test_whitespace_only_line_separates_questions() -> None:
    assert len(parse_gift("Một. {T}\n   \t \nHai. {F}").questions) == 2


def test_crlf_line_endings_give_the_same_result_as_lf() -> None:
    text = "// [tag:0.1]\n::Q1:: Chọn.\n{\n=Có #Đúng\n~Không\n}\n\n::Q2:: Đúng? {T}\n"
    assert parse_gift(text.replace("\n", "\r\n")) == parse_gift(text)
    assert parse_gift(text.replace("\n", "\r")) == parse_gift(text)


def test_byte_order_mark_is_ignored() -> None:
    assert one("\ufeff::Q:: Chọn. {=Có ~Không}").title == "Q"


# --- unsupported and malformed questions ------------------------------------------------------

def test_numerical_question_is_reported_unsupported_in_vietnamese() -> None:
    e = error_of("// [tag:0.1]\n::Năm:: Năm nay là năm nào? {#2026}")
    assert (e.file, e.line, e.code) == ("bai.gift", 2, "numerical")
    assert e.message == "loại câu hỏi số (numerical) chưa được hỗ trợ"
    assert str(e) == "bai.gift:2: loại câu hỏi số (numerical) chưa được hỗ trợ"
    assert e.message_en() == "numerical questions are not supported"


def test_numerical_question_is_reported_at_its_opening_brace() -> None:
    assert error_of("::Năm:: Năm nay là năm nào?\n{#\n=2026:0\n}").line == 2


def test_essay_question_is_unsupported() -> None:
    assert error_of("Hãy kể về chiếc điện thoại của bạn. {}").code == "essay"


def test_block_with_only_general_feedback_is_an_essay() -> None:
    assert error_of("Kể lại. {####Cảm ơn bạn.}").code == "essay"


def test_text_without_answer_block_is_an_unsupported_description() -> None:
    e = error_of("\n::Giới thiệu:: Phần này nói về điện thoại thông minh.")
    assert (e.line, e.code) == (2, "description")


def test_unclosed_brace_is_reported_on_its_line() -> None:
    e = error_of("::Q:: Chọn một ý.\n{\n=Có\n~Không")
    assert (e.line, e.code) == (2, "unclosed_brace")


def test_blank_line_inside_answers_splits_the_question_like_moodle() -> None:
    result = parse_gift("::Q:: Chọn. {\n=Có\n\n~Không\n}", "bai.gift")
    assert result.questions == ()
    assert [(e.line, e.code) for e in result.errors] == [(1, "unclosed_brace"), (5, "stray_brace")]


def test_closing_brace_without_opening_is_an_error() -> None:
    e = error_of("Chọn } một ý.")
    assert (e.line, e.code) == (1, "stray_brace")


def test_brace_inside_answer_block_must_be_escaped() -> None:
    e = error_of("Chọn. {\n=Có\n~Không {thật}\n}")
    assert (e.line, e.code) == (3, "nested_brace")


def test_second_answer_block_is_an_error() -> None:
    e = error_of("Chọn {=a ~b} rồi chọn\n{=c ~d}")
    assert (e.line, e.code) == (2, "extra_block")


def test_question_with_answers_but_no_text_is_an_error() -> None:
    assert error_of("::Q:: {=Có ~Không}").code == "empty_text"


def test_duplicate_title_is_reported_and_the_later_question_dropped() -> None:
    result = parse_gift("::Q1:: Một. {T}\n\n::Q2:: Hai. {T}\n\n::Q1:: Ba. {F}", "bai.gift")
    assert [q.text for q in result.questions] == ["Một.", "Hai."]
    (e,) = result.errors
    assert (e.file, e.line, e.code) == ("bai.gift", 5, "duplicate_title")
    assert "dòng 1" in e.message and "line 1" in e.message_en()


def test_duplicate_idnumber_is_reported() -> None:
    result = parse_gift("// [id:X]\nMột. {T}\n\n// [id:X]\nHai. {T}")
    assert [(e.line, e.code) for e in result.errors] == [(5, "duplicate_id")]
    assert len(result.questions) == 1


def test_one_bad_question_does_not_stop_the_others() -> None:
    text = ("::A:: Một. {T}\n\n::B:: Số? {#1}\n\n::C:: Ba. {=Có ~Không}\n\n::D:: Tự luận {}\n\n"
            "::E:: Năm. {=%50%x}\n\n::F:: Sáu. {F}")
    result = parse_gift(text, "bai.gift")
    assert [q.title for q in result.questions] == ["A", "C", "F"]
    assert [(e.line, e.code) for e in result.errors] == [(3, "numerical"), (7, "essay"),
                                                        (9, "no_full_credit")]


def test_empty_input_gives_nothing() -> None:
    assert parse_gift("") == GiftResult((), ())
    assert parse_gift("\n\n  \n// chỉ có chú thích\n") == GiftResult((), ())


# --- errors, data, files, command line --------------------------------------------------------

def test_every_error_code_has_distinct_vietnamese_and_english_messages() -> None:
    for code, (vi, en) in gift.MESSAGES.items():
        assert vi and en and vi != en, code
    params = {"reason": "x", "text": "x", "weight": "x", "best": "1", "total": "1",
              "title": "x", "first": "1", "idnumber": "x"}
    for code in gift.MESSAGES:
        e = gift.make_error("f.gift", 3, code, **params)
        assert str(e) == f"f.gift:3: {e.message}"
        assert e.message_en() != e.message


def test_question_to_dict_is_json_ready() -> None:
    q = one("// [tag:0.1]\n::Q:: Ghép. {=Zalo -> Nhắn tin =VNeID -> Định danh = -> Đèn pin}")
    data = json.loads(json.dumps(q.to_dict(), ensure_ascii=False))
    assert data["type"] == "matching" and data["tags"] == ["0.1"]
    assert data["answers"][0] == {"text": "Zalo", "fraction": 1.0, "feedback": None,
                                  "match": "Nhắn tin"}
    assert set(data) == {"type", "title", "text", "text_format", "answers", "general_feedback",
                         "category", "tags", "idnumber", "line", "missing_word"}


def test_sample_bank_fixture_reads_every_supported_type() -> None:
    result = parse_gift_file(FIXTURES / "ngan-hang-mau.gift")
    assert result.errors == ()
    assert [(q.title, q.type, q.line) for q in result.questions] == [
        ("NCT-01-Q01", "multichoice", 7), ("NCT-01-Q02", "truefalse", 15),
        ("NCT-01-Q03", "multiresponse", 20), ("NCT-01-Q04", "shortanswer", 27),
        ("NCT-01-Q05", "matching", 30)]
    assert {q.category for q in result.questions} == {"$course$/top/NCT-01"}
    q5 = result.questions[4]
    assert q5.text_format == "markdown" and "](images/man-hinh-chinh.svg)" in q5.text
    assert result.questions[1].answers[1].feedback.startswith("Bạn nên giữ kín mật khẩu")


def test_fixture_with_errors_still_returns_its_valid_questions() -> None:
    path = FIXTURES / "co-loi.gift"
    result = parse_gift_file(path)
    assert [q.title for q in result.questions] == ["Q-HOP-LE-1", "Q-HOP-LE-2", "Q-HOP-LE-3"]
    assert [(e.file, e.line, e.code) for e in result.errors] == [
        (str(path), 5, "numerical"), (str(path), 9, "unclosed_brace")]


def test_file_with_byte_order_mark_and_crlf_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.gift"
    path.write_bytes("\ufeff::Q:: Điện thoại\r\nthông minh? {T}\r\n".encode("utf-8"))
    (q,) = parse_gift_file(path).questions
    assert (q.title, q.text) == ("Q", "Điện thoại\nthông minh?")


def test_non_utf8_file_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cu.gift"
    path.write_bytes(b"::Q1:: Mot. {T}\n\n::Q2:: Hai \xe0 ba. {T}\n")  # Latin-1 / Windows-1258
    result = parse_gift_file(path)
    assert result.questions == ()
    assert [(e.file, e.line, e.code) for e in result.errors] == [(str(path), 3, "encoding")]


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    (e,) = parse_gift_file(tmp_path / "khong-co.gift").errors
    assert (e.line, e.code) == (0, "unreadable")


@pytest.mark.parametrize("module", ["gift.py", "gift_messages.py"])
def test_parser_imports_only_the_standard_library_and_the_question_types(module: str) -> None:
    tree = ast.parse((GIFT_PY.parent / module).read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}
    relative = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level}
    assert relative <= {"gift_messages"}, relative
    stdlib = {name for name in names if name.split(".")[0] in sys.stdlib_module_names | {"__future__"}}
    assert names - stdlib <= {"app.quizzes.types"}, names  # the types read their own answers (from_gift)


def test_the_parser_names_no_question_type() -> None:
    source = GIFT_PY.read_text(encoding="utf-8")
    assert not [name for name in TYPES if f'"{name}"' in source or f"'{name}'" in source]


# --- properties -------------------------------------------------------------------------------

FRAGMENTS = ["{", "}", "=", "~", "#", "####", "::", "->", "%", "%50%", "%-100%", "%33.3%", "%x%",
             "\n", "\n\n", "\r\n", "\r", " ", "\t", "\\", "\\{", "\\}", "\\=", "\\~", "\\#", "\\:",
             "\\n", "\\\\", "T", "TRUE", "F", "FALSE", "//", "// [tag:0.1]", "[id:Q1]", "[tag:",
             "]", "$CATEGORY:", "[html]", "[markdown]", "::Q1::", "a", "1", "ă", "đ", "ệ", "ư",
             "Ơ", "Hà Nội", "câu hỏi", "\ufeff", "_____"]
gift_ish = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
PROPERTY = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(result: object, text: str, filename: str) -> None:
    assert isinstance(result, GiftResult)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for q in result.questions:
        assert isinstance(q, GiftQuestion)
        assert q.type in TYPES and q.text_format in gift.FORMATS
        assert len(q.answers) >= 1 and all(isinstance(a, GiftAnswer) for a in q.answers)
        assert all(-1.0 <= a.fraction <= 1.0 for a in q.answers)
        assert q.text and 1 <= q.line <= lines
        json.dumps(q.to_dict())
    for e in result.errors:
        assert isinstance(e, GiftError)
        assert gift.message_of(e.code) and e.code != "internal", str(e)
        assert e.file == filename and 1 <= e.line <= lines
        assert str(e).startswith(f"{filename}:{e.line}: ") and e.message_en()


@PROPERTY
@given(st.text(max_size=300))
def test_arbitrary_text_only_yields_questions_and_errors(text: str) -> None:
    assert_well_formed(parse_gift(text, "x.gift"), text, "x.gift")


@PROPERTY
@given(gift_ish)
def test_gift_like_text_only_yields_questions_and_errors(text: str) -> None:
    assert_well_formed(parse_gift(text, "x.gift"), text, "x.gift")


# Answer blocks built from plausible items (marker, weight, text, feedback, arrow) plus noise,
# so that the deeper answer parsers see mostly almost-valid input.
WORDS = ["Hà Nội", "Zalo", "đúng", "sai", "ứng dụng", "1+1", "\\=", "\\#", "\\{", "\\n", "->",
         "%", "#", "=", "~", "T", "F", " ", "\n", ""]
words = st.lists(st.sampled_from(WORDS), max_size=4).map("".join)
item = st.tuples(st.sampled_from(["=", "~", "~%50%", "=%50%", "~%-100%", "~%100%", "~%33.333%",
                                  "~%150%", "=%x%", "", " = ", "\n~"]),
                 words, st.sampled_from(["", " -> "]), words, st.sampled_from(["", "#", " # "]),
                 words).map("".join)
answer_block = st.tuples(st.sampled_from(["", "T", "FALSE", "#", "\n"]), st.lists(item, max_size=6),
                         st.sampled_from(["", "####", "####Chung \\= cả"])).map(
    lambda t: t[0] + " ".join(t[1]) + t[2])


@PROPERTY
@given(st.lists(st.tuples(answer_block, st.sampled_from(["", ".", " rồi tiếp."])), min_size=1,
                max_size=5))
def test_gift_like_answer_blocks_never_crash(parts: list[tuple[str, str]]) -> None:
    text = "\n\n".join(f"::Q{i}:: Câu {i} {{{block}}}{tail}" for i, (block, tail) in enumerate(parts))
    assert_well_formed(parse_gift(text, "x.gift"), text, "x.gift")


def escape(s: str) -> str:
    for ch in "\\~=#{}:":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", "\\n")


plain_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp",
                                                                       "Zs")), min_size=1,
                     max_size=20).filter(lambda s: s.strip() and not s.lstrip().startswith(("//", "%")))


@PROPERTY
@given(plain_text, plain_text, st.lists(plain_text, min_size=1, max_size=4))
def test_escaped_text_survives_a_round_trip(title: str, right: str, wrongs: list[str]) -> None:
    body = " ".join([f"={escape(right)}", *(f"~{escape(w)} #{escape(w)}" for w in wrongs)])
    q = one(f"::{escape(title)}:: Câu hỏi {escape(title)}? {{{body}}}")
    assert q.title == title.strip()
    assert [a.text for a in q.answers] == [right.strip(), *(w.strip() for w in wrongs)]
    assert [a.feedback for a in q.answers[1:]] == [w.strip() for w in wrongs]
