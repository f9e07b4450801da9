"""Build the monitoring archive of the sample inbox: one workbook per year, 2019 – February 2024.

The service's archive reaches intake as ordinary correspondent workbooks under ``correspondents/archive/``.
Older years use the category labels of their time (mapped through the synonyms of include/data/taxonomy.yaml),
Russian headers with a title block for 2019–2020 and 2023, English headers for 2021–2022, codes in 2024.

The figures follow the statements of the reference overview (March 2024) about obstruction since 2019:
over 300 reports, 18 appeals to law enforcement, 3 cases taken to court (one in 2022) and 2 verdicts for the
journalists (in 2023). With March 2024's own 4 reports (one with an appeal) the obstruction table reads:

    year  reports  appeals  court  verdicts
    2019       47        3      0         0
    2020       58        4      0         0
    2021       52        3      0         0
    2022       63        3      1         0
    2023       71        3      2         2
    2024       15        2      0         0     (11 in January–February here, 4 in March)
    total     306       18      3         2

``OBSTRUCTION`` below is that table for the archive alone; tests read it. Every event date is before March 2024
and no case reference of March 2024 is used, so the March overview keeps its 7 / 13 / 6. A few cases run over
several reports (new claim, hearing, decision), so the archive also exercises the legal-case history;
January–March 2023 are filled so the year-to-date comparison of 2024 has a previous year.

Run from the project root:  PYTHONPATH=. .venv/bin/python include/data/sample_inbox/build_archive.py

The output is deterministic (seeded generator, fixed workbook properties and zip times): a rerun writes the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "correspondents" / "archive"
D = dt.date

# Obstruction reports per year in the archive: (reports, appeals to law enforcement, sent to court, verdicts).
OBSTRUCTION = {
    2019: (47, 3, 0, 0),
    2020: (58, 4, 0, 0),
    2021: (52, 3, 0, 0),
    2022: (63, 3, 1, 0),
    2023: (71, 3, 2, 2),
    2024: (11, 1, 0, 0),
}
# Other counted categories per year (a spread, not the service's real figures).
OTHERS = {
    "refusal_restriction_information": {2019: 7, 2020: 8, 2021: 7, 2022: 9, 2023: 10, 2024: 3},
    "threats": {2019: 2, 2020: 3, 2021: 2, 2022: 2, 2023: 3, 2024: 1},
    "attacks": {2019: 1, 2020: 1, 2021: 2, 2022: 3, 2023: 1, 2024: 0},
    "detentions": {2019: 2, 2020: 1, 2021: 2, 2022: 4, 2023: 1, 2024: 0},
    "summons_to_authorities": {2019: 1, 2020: 2, 2021: 1, 2022: 2, 2023: 2, 2024: 1},
    "resource_account_blocking": {2019: 1, 2020: 1, 2021: 2, 2022: 2, 2023: 2, 2024: 1},
    "interference_media_activity": {2019: 1, 2020: 1, 2021: 1, 2022: 1, 2023: 1, 2024: 0},
    "accreditation_denial": {2019: 0, 2020: 0, 2021: 1, 2022: 1, 2023: 2, 2024: 0},
    "official_statement": {2019: 1, 2020: 1, 2021: 1, 2022: 1, 2023: 1, 2024: 1},
}
LAST_MONTH = {2024: 2}  # the archive ends with February 2024; March comes from the correspondents' files

# Category as written, per labelling era (each must resolve to its code through the taxonomy).
LABELS = {
    "ru_old": {
        "obstruction_lawful_activity": "Воспрепятствование законной профессиональной деятельности журналиста (журналистов)",
        "refusal_restriction_information": "Необоснованный отказ и нарушение сроков предоставления общественно значимой информации",
        "threats": "Угрозы", "attacks": "Нападения", "detentions": "Задержания",
        "summons_to_authorities": "Вызовы в правоохранительные, надзорные и контролирующие органы",
        "resource_account_blocking": "Необоснованные ограничения доступа к интернет-ресурсам",
        "interference_media_activity": "Вмешательство в деятельность СМИ",
        "accreditation_denial": "Отказ в аккредитации / лишение доступа в госучреждения",
        "official_statement": "Заявления должностных лиц и государственная политика",
        "civil_claims": "Требования о защите чести, достоинства и деловой репутации (претензии и иски)",
        "criminal_accusations": "Обвинения в уголовном порядке",
        "administrative_accusations": "Обвинения в административном порядке",
    },
    "en_old": {
        "obstruction_lawful_activity": "interference with journalists' lawful professional activities",
        "refusal_restriction_information": "refusals, restrictions, and violations of deadlines for providing information",
        "threats": "threat against media outlets or journalists", "attacks": "attack on journalists",
        "detentions": "detention of journalists",
        "summons_to_authorities": "summons to law enforcement, supervisory, or regulatory authorities",
        "resource_account_blocking": "resource/account blocking",
        "interference_media_activity": "interference in the activities of media",
        "accreditation_denial": "denial of accreditation/revocation of access to government institutions",
        "official_statement": "Statements of officials and state policy",
        "civil_claims": "civil court and pretrial claims against media outlets",
        "criminal_accusations": "pretrial criminal accusations",
        "administrative_accusations": "administrative charges",
    },
}
LABELS["ru"] = {code: label for code, label in LABELS["ru_old"].items()} | {
    "obstruction_lawful_activity": "Воспрепятствование законной профессиональной деятельности журналиста",
    "refusal_restriction_information": "Необоснованный отказ и нарушение сроков предоставления общественно значимой информации",
    "resource_account_blocking": "Блокировка ресурсов / аккаунтов",
    "civil_claims": "Требования о защите чести, достоинства и деловой репутации",
}
LABELS["code"] = {code: code for code in LABELS["ru"]}

# (region, locality) in Russian and in English, as the gazetteer knows them.
PLACES = [
    (("г. Астана", None), ("Astana", None)),
    (("Алматы", None), ("Almaty", None)),  # "г. Алматы" is ambiguous to the gazetteer today
    (("г. Шымкент", None), ("Shymkent", None)),
    (("Актюбинская область", "Актобе"), ("Aktobe Region", "Aktobe")),
    (("Атырауская область", "Атырау"), ("Atyrau Region", "Atyrau")),
    (("Западно-Казахстанская область", "Уральск"), ("West Kazakhstan Region", "Oral")),
    (("Жамбылская область", "Тараз"), ("Jambyl Region", "Taraz")),
    (("Акмолинская область", "Кокшетау"), ("Akmola Region", "Kokshetau")),
    (("Костанайская область", "Костанай"), ("Kostanay Region", "Kostanay")),
    (("Карагандинская область", "Караганда"), ("Karaganda Region", "Karaganda")),
    (("Павлодарская область", "Павлодар"), ("Pavlodar Region", "Pavlodar")),
    (("Мангистауская область", "Актау"), ("Mangystau Region", "Aktau")),
    (("Кызылординская область", "Кызылорда"), ("Kyzylorda Region", "Kyzylorda")),
]
OUTLETS = ["Радио Азаттык", "Vlast.kz", "KazTAG", "Orda.kz", "«Уральская неделя»", "«Ак Жайык»", "TobolInfo",
           "Tengrinews", "«Время»", "«Диапазон»", "Exclusive.kz", "«Лада»", "«Новый вестник»", "ProTenge"]

OBSTRUCTION_TEXT = {
    "ru": [
        "Журналисту {outlet} не дали вести съёмку у здания акимата: сотрудник охраны закрыл объектив рукой.",
        "Корреспондента {outlet} не пустили на открытое заседание маслихата, сославшись на отсутствие мест.",
        "Полицейские потребовали от журналиста {outlet} удалить видео, снятое во время задержания на улице.",
        "Журналиста {outlet} удалили с открытого судебного заседания без объяснения причин.",
        "Сотрудники коммунального предприятия помешали журналисту {outlet} снимать последствия аварии.",
        "Корреспонденту {outlet} запретили фотографировать очередь в поликлинике и вывели из здания.",
        "Журналиста {outlet} задержали на несколько часов при подготовке репортажа о стихийном митинге.",
    ],
    "en": [
        "A {outlet} reporter was stopped from filming outside the akimat; a guard covered the camera lens.",
        "A {outlet} correspondent was refused entry to an open session of the city maslikhat.",
        "Police officers made a {outlet} journalist delete a video of an arrest in the street.",
        "A {outlet} journalist was sent out of an open court hearing without any reason given.",
        "Staff of a municipal company prevented a {outlet} reporter from filming after a heating-main burst.",
        "A {outlet} correspondent was forbidden to photograph queues at a clinic and led out of the building.",
    ],
}
OTHER_TEXT = {
    "refusal_restriction_information": {
        "ru": "Госорган не ответил в законный срок на запрос редакции {outlet} о расходах бюджета.",
        "en": "A state body left a {outlet} request about budget spending unanswered past the legal deadline.",
    },
    "threats": {"ru": "Журналисту {outlet} угрожали расправой после публикации.",
                "en": "A {outlet} journalist received threats after a publication."},
    "attacks": {"ru": "На журналиста {outlet} напали во время съёмки.",
                "en": "A {outlet} journalist was attacked while filming."},
    "detentions": {"ru": "Журналиста {outlet} задержали при освещении протестной акции.",
                   "en": "A {outlet} journalist was detained while covering a protest."},
    "summons_to_authorities": {"ru": "Журналиста {outlet} вызвали в полицию для дачи объяснений по публикации.",
                               "en": "A {outlet} journalist was summoned by the police over a publication."},
    "resource_account_blocking": {"ru": "Сайт {outlet} стал недоступен у казахстанских пользователей без объяснений.",
                                  "en": "The website of {outlet} became unavailable in Kazakhstan without explanation."},
    "interference_media_activity": {"ru": "Учредитель потребовал от редакции {outlet} снять критический материал.",
                                    "en": "The owner demanded that {outlet} take down a critical article."},
    "accreditation_denial": {"ru": "Журналисту {outlet} отказали в аккредитации при областном акимате.",
                             "en": "A {outlet} journalist was refused accreditation with the regional akimat."},
    "official_statement": {"ru": "Министр информации высказался о работе СМИ и ответственности журналистов.",
                           "en": "The information minister spoke about the media and the responsibility of journalists."},
}
REFUSERS = {  # who refused, as correspondents write the violator type
    "ru": ["государственный орган", "местный исполнительный орган", "правоохранительные органы",
           "государственная организация", "государственный орган", "должностное лицо"],
    "en": ["state body", "local executive body", "law enforcement", "state-affiliated organisation", "state body",
           "official"],
}

# Legal cases: (case_ref, category, article, plaintiff, plaintiff type, outlet, [events]); an event is
# (date, stage, extra fields). Only the first event of a case, as a new claim, counts.
CASES = [
    ("2-1123/2019", "civil_claims", "ГК РК ст. 143", "ТОО «КазАгроСервис»", "коммерческая организация", "TobolInfo",
     [(D(2019, 4, 11), "подан иск", {"amount_claimed_kzt": "10 млн тенге"}),
      (D(2019, 9, 24), "решение суда", {"outcome": "в иске отказано", "court": "Костанайский городской суд"})]),
    ("УД-193/2019", "criminal_accusations", "ст. 130 УК РК", "депутат городского маслихата", "должностное лицо",
     "Orda.kz", [(D(2019, 5, 20), "возбуждено дело", {}),
                 (D(2019, 11, 5), "досудебное расследование", {})]),
    ("2-877/2019", "civil_claims", "ГК РК ст. 143", "аким района", "должностное лицо", "«Уральская неделя»",
     [(D(2019, 8, 2), "новый иск", {"amount_claimed_kzt": "5 000 000 тг"})]),
    ("ПР-19-12", "civil_claims", "ГК РК ст. 143", "АО «Энергосбыт»", "коммерческая организация", "«Время»",
     [(D(2019, 12, 3), "досудебная претензия", {"amount_claimed_kzt": "2 млн"})]),
    ("2-301/2020", "civil_claims", "ГК РК ст. 143, 951", "ТОО «Жол Курылыс»", "коммерческая организация", "«Лада»",
     [(D(2020, 2, 14), "подан иск", {"amount_claimed_kzt": "3 млн"})]),
    ("УД-2020-274-01", "criminal_accusations", "ч. 3 ст. 274 УК РК", "полиция", "правоохранительные органы",
     "KazTAG", [(D(2020, 4, 8), "возбуждено дело", {})]),
    ("АП-2020-73-3", "administrative_accusations", "ст. 73-3 КоАП РК", "полиция", "правоохранительные органы",
     "ProTenge", [(D(2020, 9, 17), "возбуждено дело", {})]),
    ("2-1450/2020", "civil_claims", "ГК РК ст. 143", "руководитель управления здравоохранения", "должностное лицо",
     "Vlast.kz", [(D(2020, 11, 26), "новый иск", {"amount_claimed_kzt": "1 000 000 тенге"})]),
    ("2-512/2021", "civil_claims", "Civil Code Art. 143", "Kazakh Invest Trade LLP", "company", "Exclusive.kz",
     [(D(2021, 3, 15), "claim filed", {"amount_claimed_kzt": "15 million"})]),
    ("CC-174-2021-07", "criminal_accusations", "Criminal Code Art. 174", "prosecutor's office", "law enforcement",
     "Orda.kz", [(D(2021, 7, 1), "charge brought", {})]),
    ("ADM-2021-0912", "administrative_accusations", "AdmC 73-3", "city police department", "law enforcement",
     "«Диапазон»", [(D(2021, 9, 12), "new", {})]),
    ("2-1999/2021", "civil_claims", "Civil Code Art. 143", "regional akim", "official", "Tengrinews",
     [(D(2021, 11, 9), "new claim", {"amount_claimed_kzt": "2 000 000"})]),
    ("2-208/2022", "civil_claims", "Civil Code Art. 143", "Aktobe Oil Service JSC", "company", "«Диапазон»",
     [(D(2022, 2, 21), "claim filed", {"amount_claimed_kzt": "8 million"})]),
    ("CC-274-2022-03", "criminal_accusations", "Criminal Code Art. 274 part 2", "police", "law enforcement",
     "KazTAG", [(D(2022, 3, 30), "charge brought", {}),
                (D(2022, 10, 4), "pre-trial investigation", {})]),
    ("CC-274-2022-11", "criminal_accusations", "Art. 274 CC", "police", "law enforcement", "Vlast.kz",
     [(D(2022, 11, 14), "charge brought", {})]),
    ("ADM-2022-0606", "administrative_accusations", "AdmC 73-3", "district police", "law enforcement", "ProTenge",
     [(D(2022, 6, 6), "new", {})]),
    ("2-3310/2022", "civil_claims", "Civil Code Art. 143", "a businessman", "individual", "«Лада»",
     [(D(2022, 9, 19), "new claim", {"amount_claimed_kzt": "1.5 million"})]),
    ("2-77/2023", "civil_claims", "ГК РК ст. 143", "ТОО «Нур Транс»", "коммерческая организация", "«Новый вестник»",
     [(D(2023, 1, 18), "подан иск", {"amount_claimed_kzt": "4 млн тенге"})]),
    ("ПР-2023-02-05", "civil_claims", "ГК РК ст. 143", "главный врач областной больницы", "должностное лицо",
     "«Ак Жайык»", [(D(2023, 2, 6), "претензия", {"amount_claimed_kzt": "1 млн"})]),
    ("УД-2023-274-02", "criminal_accusations", "ст. 274 УК РК", "полиция", "правоохранительные органы",
     "Orda.kz", [(D(2023, 2, 22), "возбуждено дело", {}),
                 (D(2023, 8, 30), "прекращено", {"outcome": "дело прекращено"})]),
    ("2-401/2023", "civil_claims", "ГК РК ст. 143", "АО «Павлодарэнерго»", "коммерческая организация", "«Время»",
     [(D(2023, 3, 9), "новый иск", {"amount_claimed_kzt": "7 500 000 тг"}),
      (D(2023, 6, 20), "мировое соглашение", {"court": "Павлодарский городской суд"})]),
    ("АП-2023-03-27", "administrative_accusations", "КоАП РК ст. 73-3", "прокуратура", "правоохранительные органы",
     "Exclusive.kz", [(D(2023, 3, 27), "возбуждено дело", {})]),
    ("2-1288/2023", "civil_claims", "ГК РК ст. 143", "депутат мажилиса", "должностное лицо", "Vlast.kz",
     [(D(2023, 5, 16), "подан иск", {"amount_claimed_kzt": "50 млн тенге"})]),
    ("АП-2023-456-2-08", "administrative_accusations", "ч. 1 ст. 456-2 КоАП РК", "Министерство информации",
     "государственный орган", "Радио Азаттык", [(D(2023, 8, 14), "возбуждено дело", {}),
                                                (D(2023, 9, 1), "решение", {"outcome": "штраф"})]),
    ("АП-2023-456-2-10", "administrative_accusations", "ст. 456-2 КоАП", "полиция", "правоохранительные органы",
     "«Диапазон»", [(D(2023, 10, 3), "возбуждено дело", {})]),
    ("2-2405/2023", "civil_claims", "ГК РК ст. 143", "ТОО «Сары-Арка Девелопмент»", "коммерческая организация",
     "«Новый вестник»", [(D(2023, 11, 7), "подан иск", {"amount_claimed_kzt": "3 000 000 тенге"}),
                         (D(2024, 1, 23), "судебное заседание", {"court": "Карагандинский городской суд"}),
                         (D(2024, 2, 20), "решение суда", {"outcome": "иск удовлетворён частично",
                                                           "amount_awarded_kzt": "300 000 тенге"})]),
    ("2-2519/2023", "civil_claims", "ГК РК ст. 143", "аким города", "должностное лицо", "TobolInfo",
     [(D(2023, 12, 4), "новый иск", {"amount_claimed_kzt": "1 млн тенге"}),
      (D(2024, 2, 13), "решение суда", {"outcome": "в иске отказано", "court": "Костанайский городской суд"})]),
    ("2-0042/2024", "civil_claims", "Civil Code Art. 143", "Shymkent Stroy LLP", "company", "«Время»",
     [(D(2024, 1, 15), "claim filed", {"amount_claimed_kzt": "2 million"})]),
    ("PC-2024-01-29", "civil_claims", None, "head of a district hospital", "official", "Tengrinews",
     [(D(2024, 1, 29), "pre-trial claim", {"amount_claimed_kzt": "500 thousand"})]),
    ("ADM-2024-0219", "administrative_accusations", "AdmC 456-2 p.1", "Ministry of Culture and Information",
     "state body", "Orda.kz", [(D(2024, 2, 19), "new", {})]),
]

COMMON_COLUMNS = [
    "report_id", "event_date", "region", "locality", "category", "outlet", "affected", "perpetrator",
    "perpetrator_type", "summary", "legal_article", "case_ref", "case_stage", "plaintiff", "plaintiff_type",
    "amount_claimed_kzt", "court", "outcome", "amount_awarded_kzt", "appealed_to_police", "sent_to_court",
    "verdict_for_journalist", "source",
]
HEADERS = {
    "ru": {
        "report_id": "№ сообщения", "event_date": "Дата события", "region": "Область", "locality": "Город",
        "category": "Вид нарушения", "outlet": "СМИ", "affected": "Пострадавшие", "perpetrator": "Нарушитель",
        "perpetrator_type": "Тип нарушителя", "summary": "Описание", "legal_article": "Статья",
        "case_ref": "№ дела", "case_stage": "Стадия", "plaintiff": "Истец", "plaintiff_type": "Тип истца",
        "amount_claimed_kzt": "Сумма иска, тенге", "court": "Суд", "outcome": "Исход",
        "amount_awarded_kzt": "Взыскано", "appealed_to_police": "Обращение в правоохранительные органы",
        "sent_to_court": "Направлено в суд", "verdict_for_journalist": "Решение в пользу журналиста",
        "source": "Источник",
    },
    "en": {
        "report_id": "Report ID", "event_date": "Event date", "region": "Region", "locality": "City / Locality",
        "category": "Category", "outlet": "Media outlet", "affected": "Affected persons",
        "perpetrator": "Alleged violator", "perpetrator_type": "Violator type", "summary": "Summary",
        "legal_article": "Legal article", "case_ref": "Case reference", "case_stage": "Case stage",
        "plaintiff": "Plaintiff", "plaintiff_type": "Plaintiff type", "amount_claimed_kzt": "Amount claimed, KZT",
        "court": "Court", "outcome": "Outcome", "amount_awarded_kzt": "Amount awarded, KZT",
        "appealed_to_police": "Appealed to law enforcement", "sent_to_court": "Sent to court",
        "verdict_for_journalist": "Verdict in favour", "source": "Source",
    },
}
# year → (file name, language of headers and text, labelling era, title rows, date style)
YEARS = {
    2019: ("arhiv_monitoringa_2019.xlsx", "ru", "ru_old", ["Архив мониторинга фонда «Әділ сөз»", "2019 год", ""], "excel"),
    2020: ("arhiv_monitoringa_2020.xlsx", "ru", "ru_old", ["Архив мониторинга фонда «Әділ сөз»", "2020 год", ""], "excel"),
    2021: ("monitoring_archive_2021.xlsx", "en", "en_old", [], "text"),
    2022: ("monitoring_archive_2022.xlsx", "en", "en_old", [], "text"),
    2023: ("arhiv_monitoringa_2023.xlsx", "ru", "ru", ["Архив мониторинга", ""], "excel"),
    2024: ("monitoring_archive_2024_jan_feb.xlsx", "en", "code", [], "text"),
}


def _sample_builder():
    """The writers of build_sample_inbox.py (fixed properties and zip times), reused as they are."""
    spec = importlib.util.spec_from_file_location("build_sample_inbox", HERE / "build_sample_inbox.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _spread_dates(rng: random.Random, year: int, count: int) -> list[dt.date]:
    """``count`` dates through the year's months in turn (every month gets its share), days at random."""
    months = LAST_MONTH.get(year, 12)
    dates = []
    for i in range(count):
        month = 1 + (i * months) // max(count, 1)
        dates.append(D(year, month, rng.randint(1, 28)))
    return sorted(dates)


def _place(rng: random.Random, language: str) -> dict:
    ru, en = rng.choice(PLACES)
    region, locality = ru if language == "ru" else en
    return {"region": region, "locality": locality}


def reports_of_year(year: int) -> list[dict]:
    """The archive's reports with an event in ``year``, in date order."""
    _, language, era, _, _ = YEARS[year]
    rng = random.Random(f"presswatch-archive-{year}")
    labels = LABELS[era]
    yes_no_source = "корреспондент фонда" if language == "ru" else "correspondent"
    reports = []
    total, appeals, court, verdicts = OBSTRUCTION[year]
    for date in _spread_dates(rng, year, total):
        outlet = rng.choice(OUTLETS)
        reports.append({
            "event_date": date, **_place(rng, language), "category": labels["obstruction_lawful_activity"],
            "outlet": outlet, "affected": f"журналист {outlet}" if language == "ru" else f"{outlet} journalist",
            "perpetrator_type": rng.choice(["правоохранительные органы", "государственный орган", "суд"] if language == "ru"
                                           else ["law enforcement", "state body", "court"]),
            "summary": rng.choice(OBSTRUCTION_TEXT[language]).format(outlet=outlet),
            "appealed_to_police": False, "sent_to_court": False, "verdict_for_journalist": False,
            "source": yes_no_source,
        })
    # Appeals at evenly spaced rows; the first `court` of them went to court, the first `verdicts` ended in a verdict.
    appeal_rows = [(k * total) // appeals + 1 for k in range(appeals)] if appeals else []
    for k, index in enumerate(appeal_rows):
        reports[index]["appealed_to_police"] = True
        reports[index]["sent_to_court"] = k < court
        reports[index]["verdict_for_journalist"] = k < verdicts
    for code, per_year in OTHERS.items():
        for date in _spread_dates(rng, year, per_year.get(year, 0)):
            outlet = rng.choice(OUTLETS)
            row = {
                "event_date": date, **_place(rng, language), "category": labels[code], "outlet": outlet,
                "summary": OTHER_TEXT[code][language].format(outlet=outlet), "source": yes_no_source,
            }
            if code == "refusal_restriction_information":
                row["perpetrator_type"] = rng.choice(REFUSERS[language])
            if code == "official_statement":
                row["region"], row["locality"], row["outlet"] = ("г. Астана" if language == "ru" else "Astana"), None, None
            reports.append(row)
    for case_ref, category, article, plaintiff, plaintiff_type, outlet, events in CASES:
        for date, stage, extra in events:
            if date.year != year:
                continue
            summary = (f"Дело {case_ref}: {stage}. Истец: {plaintiff}, ответчик: {outlet}."
                       if language == "ru" else f"Case {case_ref}: {stage}. Plaintiff: {plaintiff}; defendant: {outlet}.")
            reports.append({
                "event_date": date, **_place(random.Random(case_ref), language), "category": labels[category],
                "outlet": outlet, "perpetrator": plaintiff, "perpetrator_type": plaintiff_type, "summary": summary,
                "legal_article": article, "case_ref": case_ref, "case_stage": stage, "plaintiff": plaintiff,
                "plaintiff_type": plaintiff_type, "source": yes_no_source, **extra,
            })
    reports.sort(key=lambda r: r["event_date"])
    prefix = "А" if language == "ru" else "A"
    for number, report in enumerate(reports, start=1):
        report["report_id"] = f"{prefix}-{year}-{number:03d}"
    return reports


def layout_of(year: int) -> dict:
    name, language, _, title_rows, dates = YEARS[year]
    return {
        "path": name, "kind": "xlsx",
        "author": "Служба мониторинга" if language == "ru" else "Monitoring Service",
        "sheet": str(year), "title_rows": title_rows, "dates": dates,
        "yes_no": ("да", "нет") if language == "ru" else ("yes", "no"),
        "columns": [(field, HEADERS[language][field]) for field in COMMON_COLUMNS],
    }


def build(out: Path = OUT) -> list[Path]:
    writer = _sample_builder()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for year in YEARS:
        layout = layout_of(year)
        path = out / layout["path"]
        writer.write_xlsx(path, layout, reports_of_year(year))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in build():
        print(written_path.relative_to(HERE), written_path.stat().st_size, "bytes")
