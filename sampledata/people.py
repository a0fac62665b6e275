"""Applicants (chủ hồ sơ): citizens and organisations with plausible Vietnamese names.

Personal data in the sample is invented: ID numbers are random digits, names are drawn
from common family, middle and given names.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

CITIZEN, ORGANISATION = 1, 2

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
           "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Lương"]
_MIDDLE = ["Văn", "Thị", "Đức", "Thanh", "Minh", "Ngọc", "Quốc", "Thu", "Hữu", "Xuân",
           "Bảo", "Thị Thu", "Anh", "Hoài", "Công"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hằng", "Hiếu",
          "Hoa", "Hùng", "Hương", "Hường", "Khánh", "Kiên", "Lan", "Linh", "Long", "Mai",
          "Nam", "Nga", "Nguyệt", "Phong", "Phượng", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo",
          "Thắng", "Trang", "Trung", "Tuấn", "Uyên", "Việt", "Vy", "Yến", "Ánh", "Ước"]
_COMPANY_FORM = ["Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã"]
_COMPANY_TRADE = ["Xây dựng", "Vận tải", "Thương mại", "Dịch vụ", "Đầu tư", "Thực phẩm",
                  "Cơ khí", "Du lịch", "Nông sản", "Dược phẩm"]
_COMPANY_NAME = ["Đại Việt", "Bắc Hải", "Hồng Phát", "Thành Công", "Phú Thịnh", "Minh Long",
                 "An Khang", "Hưng Thịnh", "Sông Hồng", "Tân Á", "Ánh Dương", "Trường Sơn"]


@dataclass(frozen=True)
class Applicant:
    """`ChuHoSo`: the person or organisation that filed the case."""

    kind: int  # 1 citizen, 2 organisation
    id_number: str
    name: str
    phone: str


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def draw_applicant(rng: random.Random, organisation_share: float) -> Applicant:
    """A random applicant; organisations have a 10-digit tax code and a landline."""
    if rng.random() < organisation_share:
        name = " ".join((rng.choice(_COMPANY_FORM), rng.choice(_COMPANY_TRADE),
                         rng.choice(_COMPANY_NAME)))
        return Applicant(ORGANISATION, "0" + _digits(rng, 9), name, "022" + _digits(rng, 7))
    name = " ".join((rng.choice(_FAMILY), rng.choice(_MIDDLE), rng.choice(_GIVEN)))
    province = f"{rng.randint(1, 96):03d}"
    return Applicant(CITIZEN, province + _digits(rng, 9), name, "09" + _digits(rng, 8))
