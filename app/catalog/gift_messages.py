"""Messages of the GIFT parser, by error code, in Vietnamese and English (standard library only)."""
from __future__ import annotations

# code -> (Vietnamese, English); str.format templates, so literal braces are doubled.
MESSAGES: dict[str, tuple[str, str]] = {
    "unreadable": ("không đọc được tệp: {reason}", "cannot read the file: {reason}"),
    "encoding": ("tệp không phải UTF-8 (hãy lưu lại tệp với bảng mã UTF-8)",
                 "the file is not UTF-8 (save it again as UTF-8)"),
    "category_block": ("$CATEGORY phải đứng riêng, cách câu hỏi sau bằng một dòng trống",
                       "$CATEGORY must stand alone, separated from the next question by a blank line"),
    "empty_category": ("$CATEGORY thiếu tên danh mục", "$CATEGORY has no category name"),
    "orphan_comment": ("chú thích có [id:] hoặc [tag:] nhưng không gắn với câu hỏi nào "
                       "(bỏ dòng trống giữa chú thích và câu hỏi)",
                       "a comment with [id:] or [tag:] belongs to no question "
                       "(remove the blank line between the comment and the question)"),
    "unclosed_title": ("tiêu đề ::…:: thiếu dấu :: đóng", "the title ::…:: has no closing ::"),
    "description": ("không có khối đáp án {{…}}: loại mô tả (description) chưa được hỗ trợ",
                    "no answer block {{…}}: description questions are not supported"),
    "unclosed_brace": ("dấu {{ mở khối đáp án nhưng thiếu dấu }} đóng "
                       "(khối đáp án không được chứa dòng trống)",
                       "the answer block opened by {{ has no closing }} "
                       "(an answer block may not contain a blank line)"),
    "stray_brace": ("dấu }} không có dấu {{ mở tương ứng (viết \\}} để hiện dấu ngoặc)",
                    "}} without a matching {{ (write \\}} for a literal brace)"),
    "nested_brace": ("dấu {{ thừa bên trong khối đáp án (viết \\{{ để hiện dấu ngoặc)",
                     "an extra {{ inside the answer block (write \\{{ for a literal brace)"),
    "extra_block": ("mỗi câu hỏi chỉ có một khối đáp án {{…}} (viết \\{{ \\}} để hiện dấu ngoặc)",
                    "a question has only one answer block {{…}} (write \\{{ \\}} for literal braces)"),
    "empty_text": ("câu hỏi không có nội dung", "the question has no text"),
    "essay": ("loại câu hỏi tự luận (essay, khối {{}} rỗng) chưa được hỗ trợ",
              "essay questions (empty {{}} block) are not supported"),
    "numerical": ("loại câu hỏi số (numerical) chưa được hỗ trợ",
                  "numerical questions are not supported"),
    "no_marker": ("“{text}” trong khối đáp án không bắt đầu bằng = hoặc ~ "
                  "(câu đúng/sai viết {{T}} hoặc {{F}})",
                  "“{text}” in the answer block does not start with = or ~ "
                  "(true/false is written {{T}} or {{F}})"),
    "bad_weight": ("trọng số “%{weight}%” không hợp lệ: cần một số từ -100 đến 100",
                   "invalid weight “%{weight}%”: it must be a number from -100 to 100"),
    "empty_answer": ("có đáp án rỗng", "an answer is empty"),
    "too_few_answers": ("câu trắc nghiệm cần ít nhất 2 phương án",
                        "a multiple-choice question needs at least 2 choices"),
    "no_correct": ("không có đáp án đúng: dùng = cho đáp án đúng, hoặc ~%50%… cho câu nhiều đáp án",
                   "no correct answer: mark it with =, or use ~%50%… for multiple answers"),
    "no_full_credit": ("không có đáp án nào được 100% điểm (cao nhất là {best}%)",
                       "no answer is worth 100% (the best is {best}%)"),
    "weights_sum": ("câu nhiều đáp án: các trọng số dương phải cộng lại đúng 100% (hiện là {total}%)",
                    "multiple answers: the positive weights must add up to 100% (they add up to {total}%)"),
    "match_arrow": ("cặp ghép đôi “{text}” thiếu dấu ->", "the matching pair “{text}” has no ->"),
    "match_count": ("câu ghép đôi cần ít nhất 3 dòng =… -> …, trong đó ít nhất 2 dòng có vế trái",
                    "a matching question needs at least 3 lines =… -> …, at least 2 with a left side"),
    "duplicate_title": ("tiêu đề “{title}” đã dùng cho câu hỏi ở dòng {first}",
                        "the title “{title}” is already used by the question on line {first}"),
    "duplicate_id": ("mã [id:{idnumber}] đã dùng cho câu hỏi ở dòng {first}",
                     "[id:{idnumber}] is already used by the question on line {first}"),
    "internal": ("lỗi nội bộ khi đọc câu hỏi: {reason}", "internal error while reading the question: {reason}"),
}
