"""The sample province: its units, procedure catalogue and how each unit performs.

Everything here is fixed reference data in the flavour of the shared sample deliveries
(province code H99). The unit profiles make units differ for real (a department at
~100 % on time, a district at ~85 %, good and poor apology practice, different online
rates) so that league tables rank something.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PROVINCE = "H99"
EPOCH = date(2015, 1, 1)  # valid_from of every unit and procedure that predates the data


@dataclass(frozen=True)
class Unit:
    """A row of `units.csv`."""

    code: str
    name: str
    kind: str  # DEPARTMENT | DISTRICT | COMMUNE
    parent: str = ""
    valid_from: date = EPOCH
    valid_to: date | None = None
    successor: str = ""


@dataclass(frozen=True)
class Procedure:
    """A row of `procedures.csv`, plus whether the procedure bears a fee (not delivered)."""

    code: str
    name: str
    sector: str
    level: str  # PROVINCE | DISTRICT | COMMUNE
    days: int
    online: str  # FULL | PARTIAL | NONE
    valid_from: date = EPOCH
    valid_to: date | None = None
    fee: bool = True
    owner: str = ""  # for PROVINCE procedures: the department that handles them


@dataclass(frozen=True)
class Profile:
    """How a unit performs; every probability is per accepted case."""

    volume: float  # cases received per working day at scale 1
    on_time: float  # share of cases finished by their due date
    online: float  # share submitted online
    postal: float = 0.04
    supplement: float = 0.08
    pause: float = 0.04
    padding: float = 0.02  # appointment set later than the statutory time
    apology: float = 0.6  # a late case gets an apology letter
    apology_timely: float = 0.7  # … issued before the deadline
    online_payment: float = 0.6
    digitised: float = 0.7
    rating: float = 0.35
    dissatisfied: float = 0.05
    calendar_day_appointments: bool = False  # the vendor counts calendar days, not working days


# --- Units -----------------------------------------------------------------------------

_DEPARTMENTS = [
    ("S01", "Sở Tư pháp"),
    ("S02", "Sở Kế hoạch và Đầu tư"),
    ("S03", "Sở Tài chính"),
    ("S04", "Sở Tài nguyên và Môi trường"),
    ("S05", "Sở Xây dựng"),
    ("S06", "Sở Lao động - Thương binh và Xã hội"),
    ("S07", "Sở Giao thông vận tải"),
    ("S08", "Sở Công Thương"),
    ("S09", "Sở Y tế"),
    ("S10", "Sở Giáo dục và Đào tạo"),
    ("S11", "Sở Văn hóa, Thể thao và Du lịch"),
    ("S12", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("S13", "Sở Khoa học và Công nghệ"),
    ("S14", "Sở Thông tin và Truyền thông"),
    ("S15", "Sở Nội vụ"),
    ("S16", "Sở Ngoại vụ"),
    ("S17", "Ban Dân tộc"),
    ("S18", "Ban Quản lý các khu công nghiệp"),
    ("S19", "Ban Quản lý Khu kinh tế ven biển"),
]

#: Department S02 merged into S03 (Sở Tài chính) from 1 March 2025, as the 2025
#: reorganisation of provincial departments did.
MERGED_UNIT, MERGE_SUCCESSOR, MERGE_DATE = "H99.S02", "H99.S03", date(2025, 3, 1)
#: The industrial-zones board was set up mid-2024.
NEW_UNIT, NEW_UNIT_FROM = "H99.S18", date(2024, 7, 1)

_DISTRICTS = [
    ("D01", "thành phố Lạc Hồng", ["phường Đông Hải", "phường Trần Phú", "phường Ngọc Xuyên",
                                  "xã Đồng Thái", "phường Hòa Nghĩa"]),
    ("D02", "huyện An Lạc", ["xã An Bình", "xã Hưng Đạo", "thị trấn Núi Đối", "xã Tân Phong"]),
    ("D03", "huyện Bình Giang", ["xã Thượng Ấm", "xã Vĩnh Hưng", "xã Hồng Khê", "xã Tráng Liệt",
                                "thị trấn Kẻ Sặt"]),
    ("D04", "thị xã Đông Triều", ["phường Mạo Khê", "xã Yên Đức", "xã Hoàng Quế",
                                 "phường Đức Chính"]),
    ("D05", "huyện Kim Sơn", ["xã Quang Thiện", "xã Chất Bình", "xã Lưu Phương",
                             "thị trấn Phát Diệm"]),
    ("D06", "huyện Yên Thủy", ["xã Lạc Thịnh", "xã Phú Lai", "thị trấn Hàng Trạm", "xã Đoàn Kết",
                              "xã Ngọc Lương"]),
    ("D07", "quận Hải An", ["phường Đằng Hải", "phường Nam Hải", "phường Thành Tô"]),
    ("D08", "quận Ngô Quyền", ["phường Máy Chai", "phường Lạc Viên", "phường Cầu Đất",
                              "phường Gia Viên"]),
    ("D09", "huyện Thủy Nguyên", ["xã Lập Lễ", "xã Tam Hưng", "thị trấn Minh Đức", "xã Gia Minh",
                                 "xã Kiền Bái", "xã Lưu Kiếm"]),
    ("D10", "huyện Tiên Lãng", ["thị trấn Tiên Lãng", "xã Đại Thắng", "xã Quyết Tiến"]),
    ("D11", "huyện Vĩnh Bảo", ["thị trấn Vĩnh Bảo", "xã Tân Hưng", "xã Cổ Am", "xã Hiệp Hòa"]),
    ("D12", "thị xã Phú Bình", ["phường Hương Sơn", "phường Bảo Lý", "xã Tân Đức"]),
    ("D13", "huyện Sóc Sơn", ["thị trấn Sóc Sơn", "xã Mai Đình", "xã Phù Linh", "xã Minh Trí",
                             "xã Hồng Kỳ"]),
    ("D14", "huyện Mỹ Đức", ["thị trấn Đại Nghĩa", "xã An Phú", "xã Phúc Lâm", "xã Hợp Thanh"]),
    ("D15", "thành phố Sông Công", ["phường Thắng Lợi", "phường Cải Đan", "xã Bá Xuyên"]),
]


def _units() -> list[Unit]:
    units = []
    for suffix, name in _DEPARTMENTS:
        code = f"{PROVINCE}.{suffix}"
        if code == MERGED_UNIT:
            units.append(Unit(code, name, "DEPARTMENT", valid_to=date(2025, 2, 28),
                              successor=MERGE_SUCCESSOR))
        elif code == NEW_UNIT:
            units.append(Unit(code, name, "DEPARTMENT", valid_from=NEW_UNIT_FROM))
        else:
            units.append(Unit(code, name, "DEPARTMENT"))
    for suffix, name, communes in _DISTRICTS:
        code = f"{PROVINCE}.{suffix}"
        units.append(Unit(code, f"UBND {name}", "DISTRICT"))
        for n, commune in enumerate(communes, start=1):
            units.append(Unit(f"{code}.X{n:02d}", f"UBND {commune}", "COMMUNE", parent=code))
    return units


UNITS: list[Unit] = _units()
UNITS_BY_CODE: dict[str, Unit] = {unit.code: unit for unit in UNITS}


def in_force(unit: Unit, day: date) -> bool:
    """Whether the unit exists on `day`."""
    return unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)


# --- Procedures ------------------------------------------------------------------------

_P = Procedure
PROCEDURES: list[Procedure] = [
    # Departments (PROVINCE)
    _P("2.000488", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp",
       "PROVINCE", 10, "FULL", owner="S01"),
    _P("2.000635", "Đăng ký hoạt động Văn phòng công chứng", "Công chứng", "PROVINCE", 10,
       "PARTIAL", owner="S01"),
    _P("2.001167", "Chứng thực bản sao giấy tờ do cơ quan nước ngoài cấp", "Chứng thực",
       "PROVINCE", 0, "NONE", owner="S01"),
    _P("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "Thành lập và hoạt động doanh nghiệp",
       "PROVINCE", 3, "FULL", owner="S02"),
    _P("2.002036", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
       "Thành lập và hoạt động doanh nghiệp", "PROVINCE", 3, "FULL", owner="S02"),
    _P("1.009645", "Chấp thuận chủ trương đầu tư của UBND cấp tỉnh", "Đầu tư tại Việt Nam",
       "PROVINCE", 20, "PARTIAL", fee=False, owner="S02"),
    _P("2.002096", "Thẩm tra, phê duyệt quyết toán dự án hoàn thành", "Quản lý vốn đầu tư",
       "PROVINCE", 20, "PARTIAL", fee=False, owner="S03"),
    _P("1.005437", "Đăng ký giá của doanh nghiệp", "Quản lý giá", "PROVINCE", 5, "FULL",
       fee=False, owner="S03"),
    _P("1.004227", "Cấp giấy phép khai thác, sử dụng nước mặt", "Tài nguyên nước", "PROVINCE",
       20, "NONE", valid_to=date(2024, 6, 30), owner="S04"),
    _P("1.004227", "Cấp giấy phép khai thác, sử dụng nước mặt", "Tài nguyên nước", "PROVINCE",
       20, "PARTIAL", valid_from=date(2024, 7, 1), owner="S04"),
    _P("1.001990", "Đăng ký biến động quyền sử dụng đất của tổ chức", "Đất đai", "PROVINCE", 10,
       "PARTIAL", owner="S04"),
    _P("1.010734", "Thẩm định báo cáo đánh giá tác động môi trường", "Môi trường", "PROVINCE",
       15, "PARTIAL", owner="S04"),
    _P("1.009972", "Cấp giấy phép xây dựng công trình cấp I, II", "Xây dựng", "PROVINCE", 20,
       "PARTIAL", owner="S05"),
    _P("1.009978", "Cấp chứng chỉ hành nghề hoạt động xây dựng", "Xây dựng", "PROVINCE", 15,
       "PARTIAL", valid_to=date(2024, 6, 30), owner="S05"),
    _P("1.009978", "Cấp chứng chỉ hành nghề hoạt động xây dựng", "Xây dựng", "PROVINCE", 10,
       "FULL", valid_from=date(2024, 7, 1), owner="S05"),
    _P("1.009994", "Cấp lại chứng chỉ năng lực hoạt động xây dựng", "Xây dựng", "PROVINCE", 6,
       "FULL", owner="S05"),
    _P("1.001823", "Cấp giấy phép lao động cho người nước ngoài", "Việc làm", "PROVINCE", 5,
       "FULL", owner="S06"),
    _P("1.000459", "Giải quyết hưởng trợ cấp thất nghiệp", "Việc làm", "PROVINCE", 20,
       "PARTIAL", fee=False, owner="S06"),
    # A catalogue gap (Jan–Feb 2024): a case received then is loaded with the nearest version.
    _P("1.011470", "Cấp giấy phép hoạt động cơ sở trợ giúp xã hội", "Bảo trợ xã hội",
       "PROVINCE", 7, "PARTIAL", valid_to=date(2023, 12, 31), fee=False, owner="S06"),
    _P("1.011470", "Cấp giấy phép hoạt động cơ sở trợ giúp xã hội", "Bảo trợ xã hội",
       "PROVINCE", 10, "FULL", valid_from=date(2024, 3, 1), fee=False, owner="S06"),
    _P("1.002804", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Đường bộ",
       "PROVINCE", 5, "FULL", owner="S07"),
    _P("1.001777", "Cấp giấy phép kinh doanh vận tải bằng xe ô tô", "Đường bộ", "PROVINCE", 5,
       "PARTIAL", owner="S07"),
    _P("1.002835", "Cấp giấy phép lưu hành xe quá tải trọng trên đường bộ", "Đường bộ",
       "PROVINCE", 2, "FULL", owner="S07"),
    _P("2.000633", "Cấp Giấy phép kinh doanh bán buôn sản phẩm rượu",
       "Lưu thông hàng hóa trong nước", "PROVINCE", 15, "PARTIAL", owner="S08"),
    _P("2.000204", "Cấp Giấy chứng nhận đủ điều kiện làm thương nhân phân phối xăng dầu",
       "Kinh doanh khí", "PROVINCE", 15, "PARTIAL", owner="S08"),
    _P("1.001907", "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Khám bệnh, chữa bệnh",
       "PROVINCE", 20, "PARTIAL", owner="S09"),
    _P("1.002952", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", "Dược phẩm", "PROVINCE",
       20, "PARTIAL", owner="S09"),
    _P("1.005092", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Văn bằng, chứng chỉ",
       "PROVINCE", 0, "FULL", owner="S10"),
    _P("2.001914", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục",
       "Giáo dục và Đào tạo", "PROVINCE", 15, "PARTIAL", fee=False, owner="S10"),
    # Withdrawn from the catalogue at the end of May 2024: no case after that.
    _P("1.010940", "Cấp giấy phép tổ chức triển lãm", "Văn hóa", "PROVINCE", 5, "PARTIAL",
       valid_to=date(2024, 5, 31), owner="S11"),
    _P("1.001432", "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "Du lịch", "PROVINCE", 10,
       "FULL", owner="S11"),
    _P("1.003734", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản",
       "Quản lý chất lượng nông lâm sản và thủy sản", "PROVINCE", 15, "PARTIAL", owner="S12"),
    _P("1.002239", "Cấp Giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
       "Thú y", "PROVINCE", 1, "FULL", owner="S12"),
    _P("1.002633", "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
       "Hoạt động khoa học và công nghệ", "PROVINCE", 15, "PARTIAL", owner="S13"),
    _P("1.004611", "Cấp giấy phép xuất bản bản tin", "Báo chí", "PROVINCE", 10, "FULL",
       fee=False, owner="S14"),
    _P("1.003725", "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
       "Phát thanh, truyền hình và thông tin điện tử", "PROVINCE", 10, "FULL", owner="S14"),
    _P("1.000775", "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh",
       "Thi đua - khen thưởng", "PROVINCE", 20, "NONE", fee=False, owner="S15"),
    _P("1.001078", "Đăng ký hoạt động tín ngưỡng", "Tín ngưỡng, tôn giáo", "PROVINCE", 15,
       "PARTIAL", fee=False, owner="S15"),
    _P("1.002232", "Cho phép tổ chức hội nghị, hội thảo quốc tế", "Hợp tác quốc tế", "PROVINCE",
       15, "PARTIAL", fee=False, owner="S16"),
    _P("1.004815", "Công nhận người có uy tín trong đồng bào dân tộc thiểu số", "Công tác dân tộc",
       "PROVINCE", 10, "NONE", fee=False, owner="S17"),
    _P("1.009772", "Cấp Giấy chứng nhận đăng ký đầu tư trong khu công nghiệp",
       "Đầu tư tại Việt Nam", "PROVINCE", 15, "PARTIAL", fee=False, owner="S18"),
    _P("2.001955", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
       "Việc làm", "PROVINCE", 3, "FULL", owner="S18"),
    _P("1.009986", "Cấp giấy phép xây dựng công trình trong khu kinh tế", "Xây dựng", "PROVINCE",
       20, "PARTIAL", owner="S19"),
    # Districts
    _P("1.004883", "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh",
       "DISTRICT", 3, "PARTIAL", valid_to=date(2024, 12, 31)),
    _P("1.004883", "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh",
       "DISTRICT", 3, "FULL", valid_from=date(2025, 1, 1)),
    _P("1.001612", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Đất đai", "DISTRICT", 20,
       "PARTIAL"),
    _P("1.004238", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
       "Đất đai", "DISTRICT", 10, "PARTIAL"),
    _P("1.010007", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", "DISTRICT", 15,
       "PARTIAL"),
    _P("1.000656", "Đăng ký kết hôn có yếu tố nước ngoài", "Hộ tịch", "DISTRICT", 10, "PARTIAL"),
    _P("2.000528", "Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "DISTRICT", 3, "FULL",
       fee=False),
    _P("2.000908", "Chứng thực bản sao từ bản chính giấy tờ do cơ quan có thẩm quyền cấp",
       "Chứng thực", "DISTRICT", 0, "NONE"),
    _P("1.003003", "Cấp Giấy phép bán lẻ rượu", "Lưu thông hàng hóa trong nước", "DISTRICT", 10,
       "FULL"),
    _P("2.001905", "Giải quyết trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", "DISTRICT", 7,
       "PARTIAL", fee=False),
    # Communes
    _P("1.001193", "Đăng ký khai sinh", "Hộ tịch", "COMMUNE", 0, "FULL", fee=False),
    _P("1.000894", "Đăng ký kết hôn", "Hộ tịch", "COMMUNE", 0, "PARTIAL", fee=False),
    _P("1.001022", "Đăng ký khai tử", "Hộ tịch", "COMMUNE", 0, "FULL", fee=False),
    _P("1.004873", "Cấp bản sao Trích lục hộ tịch", "Hộ tịch", "COMMUNE", 0, "FULL"),
    _P("1.004746", "Đăng ký nhận cha, mẹ, con", "Hộ tịch", "COMMUNE", 3, "PARTIAL"),
    _P("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", "COMMUNE",
       0, "NONE"),
    _P("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", "COMMUNE", 0,
       "NONE"),
    _P("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
       "Chứng thực", "COMMUNE", 2, "NONE"),
    _P("1.003596", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", "COMMUNE", 3, "FULL"),
    _P("2.000355", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Bảo trợ xã hội",
       "COMMUNE", 7, "PARTIAL", fee=False),
]

#: A procedure code that is in no catalogue: a delivery fault the loader must quarantine.
UNKNOWN_PROCEDURE = "2.999901"


def procedure_in_force(code: str, day: date) -> Procedure | None:
    """The catalogue row of `code` in force on `day`, if any."""
    for proc in PROCEDURES:
        if proc.code == code and proc.valid_from <= day and (
            proc.valid_to is None or day <= proc.valid_to
        ):
            return proc
    return None


def procedures_for(unit: Unit, day: date) -> list[Procedure]:
    """The procedures a unit handles on `day` (a successor also takes its merged units')."""
    if unit.kind == "DEPARTMENT":
        owners = {unit.code.split(".")[1]}
        if unit.code == MERGE_SUCCESSOR and day >= MERGE_DATE:
            owners.add(MERGED_UNIT.split(".")[1])
        wanted = [p for p in PROCEDURES if p.level == "PROVINCE" and p.owner in owners]
    else:
        wanted = [p for p in PROCEDURES if p.level == unit.kind]
    return [p for p in wanted if p.valid_from <= day and (p.valid_to is None or day <= p.valid_to)]


# --- Profiles --------------------------------------------------------------------------

_DEPARTMENT = Profile(volume=1.6, on_time=0.96, online=0.55)
_DISTRICT = Profile(volume=2.5, on_time=0.94, online=0.4)
_COMMUNE = Profile(volume=0.45, on_time=0.97, online=0.3, supplement=0.03, pause=0.01,
                   online_payment=0.4, digitised=0.6)

_OVERRIDES: dict[str, dict] = {
    # The model department: everything on time, almost all online.
    "H99.S01": {"volume": 3.2, "on_time": 0.999, "online": 0.85, "supplement": 0.03, "padding": 0.0,
                "apology": 1.0, "apology_timely": 1.0, "online_payment": 0.9, "digitised": 0.95},
    "H99.S02": {"volume": 2.4, "on_time": 0.985, "online": 0.9, "apology": 0.9},
    "H99.S04": {"volume": 2.2, "on_time": 0.9, "online": 0.3, "supplement": 0.15, "pause": 0.08,
                "padding": 0.06, "apology": 0.5, "apology_timely": 0.5},
    "H99.S05": {"volume": 1.8, "on_time": 0.93, "online": 0.45, "apology": 0.95, "apology_timely": 0.95},
    "H99.S07": {"volume": 2.6, "on_time": 0.97, "online": 0.7},
    "H99.S09": {"volume": 1.5, "on_time": 0.95, "online": 0.6, "apology": 0.8},
    "H99.S13": {"volume": 0.6, "on_time": 0.995, "online": 0.75, "apology": 1.0, "apology_timely": 1.0},
    "H99.S17": {"volume": 0.4, "on_time": 0.92, "online": 0.1},
    "H99.D01": {"volume": 3.2, "on_time": 0.985, "online": 0.6, "apology": 0.95, "apology_timely": 0.95,
                "digitised": 0.9},
    # The weak district: late cases, calendar-day appointments, poor apology practice.
    "H99.D06": {"volume": 2.6, "on_time": 0.85, "online": 0.15, "supplement": 0.14, "padding": 0.1,
                "apology": 0.25, "apology_timely": 0.3, "dissatisfied": 0.15, "digitised": 0.4,
                "calendar_day_appointments": True},
    "H99.D07": {"volume": 2.8, "on_time": 0.975, "online": 0.65},
    "H99.D09": {"volume": 3.0, "on_time": 0.9, "online": 0.25, "apology": 0.4},
    "H99.D11": {"volume": 2.0, "on_time": 0.91, "online": 0.2, "apology": 0.3, "apology_timely": 0.4},
    "H99.D13": {"volume": 2.6, "on_time": 0.965, "online": 0.5},
}


#: What a commune takes over from its district: the vendor, and the district's practice.
_INHERITED = ("apology", "apology_timely", "calendar_day_appointments")


def profile(unit: Unit) -> Profile:
    """The performance profile of a unit; communes take after their district's practice."""
    base = {"DEPARTMENT": _DEPARTMENT, "DISTRICT": _DISTRICT, "COMMUNE": _COMMUNE}[unit.kind]
    values = dict(base.__dict__)
    if unit.kind == "COMMUNE":
        district = _OVERRIDES.get(unit.parent, {})
        values.update({key: district[key] for key in _INHERITED if key in district})
        if "on_time" in district:
            # Commune procedures are simpler: a little better than their district.
            values["on_time"] = min(1.0, district["on_time"] + 0.03)
    values.update(_OVERRIDES.get(unit.code, {}))
    return Profile(**values)


@dataclass(frozen=True)
class AppraisalCriterion:
    """A document-judged criterion of `appraisal.csv` and its maximum points."""

    code: str
    max_points: float


#: Document-judged criteria; their maxima sum to 60 (the other 10 appraisal points are
#: computed from cases, rules.md §9).
APPRAISAL_CRITERIA: list[AppraisalCriterion] = [
    AppraisalCriterion("CT_CHI_DAO_DIEU_HANH", 8.0),
    AppraisalCriterion("CC_THE_CHE", 7.0),
    AppraisalCriterion("CC_TTHC_VAN_BAN", 6.0),
    AppraisalCriterion("CC_TO_CHUC_BO_MAY", 9.0),
    AppraisalCriterion("CC_CONG_CHUC", 10.0),
    AppraisalCriterion("CC_TAI_CHINH_CONG", 8.0),
    AppraisalCriterion("XAY_DUNG_CHINH_QUYEN_SO", 12.0),
]
