"""Build the bundled sample inbox: correspondent files for March 2024 (and one for February 2024).

The reports are data (``REPORTS`` below); the layouts (``FILES``) say how each correspondent lays them
out: Russian headers under a title block with Excel date cells, English headers with text dates and an
extra column, a windows-1251 CSV with ``;``, a February workbook, and one file that is no workbook at all.

Run from the project root:  PYTHONPATH=. .venv/bin/python include/data/sample_inbox/build_sample_inbox.py

The output is deterministic: workbook properties and zip entry times are fixed, so a rerun writes the
same bytes. What March 2024 must count (the end-to-end test asserts it), per the counting rules of
include/data/taxonomy.yaml:

* journalist_media_rights 7 (4 obstruction_lawful_activity, 1 threats, 1 misuse_of_image,
  1 summons_to_authorities that is confidential);
* access_dissemination 13 (9 refusal_restriction_information - one of them submitted twice, counted once -,
  1 court_transparency_violation, 1 resource_account_blocking, 1 accreditation_denial, 1 unauthorized_access_ddos);
* legal_claims 6 new claims (5 civil_claims, 1 administrative_accusations under AdmC 73-3); a March hearing
  on a case first reported in February is not counted again;
* context 4 items (narrated, never counted).

February 2024: 1 refusal (event in February, sent in the March workbook) and 1 civil claim (new case).
Seven rows are bad on purpose and must end in quarantine; broken.xlsx is quarantined as a file.
The ``purpose`` of every report says which of these it is; it is documentation and is not written out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
OUT = HERE / "correspondents"

# Fixed document properties and zip entry times: the same bytes on every run.
FIXED_TIME = dt.datetime(2024, 4, 2, 9, 0, 0)
ZIP_TIME = (2024, 4, 2, 9, 0, 0)

D = dt.date

# ---------------------------------------------------------------------------------------------------
# The reports. Keys are presswatch fields (include/data/header_synonyms.yaml) plus:
#   file     which layout(s) of FILES the report appears in (a list: the same report sent twice)
#   note     the English workbook's "Internal note" column (not a presswatch field)
#   purpose  what the row is for (documentation only)
# A date is a datetime.date (each layout writes it its own way) or a string written exactly as given.
# Yes/no fields are True/False (each layout writes its own words).
# ---------------------------------------------------------------------------------------------------
REPORTS: list[dict] = [
    # ---- West (Russian workbook with a title block) --------------------------------------------------
    {
        "file": ["west"], "purpose": "counted: journalist_media_rights / obstruction (Atyrau, Azattyk)",
        "report_id": "З-24-03-01", "event_date": D(2024, 3, 14),
        "region": "Атырауская обл.", "locality": "г. Атырау",
        "category": "Воспрепятствование законной профессиональной деятельности журналиста",
        "outlet": "Радио Азаттык", "affected": "корреспондент Радио Азаттык",
        "perpetrator": "сотрудники полиции", "perpetrator_type": "правоохранительные органы",
        "summary": "Корреспондент Азаттыка снимал на улицах Атырау видео для сюжета о медиакурултае. "
                   "Полицейские остановили его, потребовали документы и прекратить съёмку, работу пришлось прервать.",
        "appealed_to_police": False,
        "source": "корреспондент фонда; сайт Радио Азаттык", "source_url": "https://rus.azattyq.org",
    },
    {
        "file": ["west"], "purpose": "counted: access_dissemination / resource_account_blocking (Atyrau, Ak Zhayik)",
        "report_id": "З-24-03-02", "event_date": D(2024, 3, 11),
        "region": "Атырауская обл.", "locality": "г. Атырау",
        "category": "Блокировка ресурсов / аккаунтов",
        "outlet": "Ак Жайык", "outlet_domain": "azh.kz", "affected": "редакция газеты «Ак Жайык»",
        "perpetrator": "Роскомнадзор", "perpetrator_type": "иностранный государственный орган",
        "summary": "Редакция «Ак Жайык» вновь получила уведомление Роскомнадзора: сайт газеты включён в российский "
                   "Единый реестр доменных имён с запрещённой в РФ информацией. Основанием указан материал "
                   "«Война в Украине: день 219».",
        "source": "редакция газеты «Ак Жайык»",
    },
    {
        "file": ["west"], "purpose": "counted: access_dissemination / refusal (Aktobe)",
        "report_id": "З-24-03-03", "event_date": D(2024, 3, 6),
        "region": "Актюбинская область", "locality": "Актобе",
        "category": "refusal_restriction_information",
        "outlet": "«Западный экспресс»", "affected": "журналист «Западного экспресса»",
        "perpetrator": "Отдел жилищно-коммунального хозяйства г. Актобе", "perpetrator_type": "государственный орган",
        "summary": "Отдел ЖКХ не ответил в законный срок на запрос журналиста о графике ремонта теплосетей; "
                   "ответ пришёл через месяц и без запрошенных цифр.",
        "source": "корреспондент фонда",
    },
    {
        "file": ["west", "south"],
        "purpose": "counted once: access_dissemination / refusal (Oral), the same report sent in two files",
        "report_id": "З-24-03-04", "event_date": D(2024, 3, 12),
        "region": "Западно-Казахстанская область", "locality": "Уральск",
        "category": "Необоснованный отказ и нарушение сроков предоставления общественно значимой информации",
        "outlet": "«Жайык Ньюс»", "affected": "журналист «Жайык Ньюс»",
        "perpetrator": "Департамент полиции ЗКО", "perpetrator_type": "правоохранительные органы",
        "summary": "Пресс-служба департамента полиции отказалась назвать журналисту число пострадавших в ДТП "
                   "на трассе Уральск – Самара, сославшись на тайну следствия.",
        "source": "корреспондент фонда",
    },
    {
        "file": ["west"], "purpose": "counted: access_dissemination / refusal (Aktau)",
        "report_id": "З-24-03-05", "event_date": D(2024, 3, 19),
        "region": "Мангистауская область", "locality": "Актау",
        "category": "Необоснованный отказ и нарушение сроков предоставления общественно значимой информации",
        "outlet": "«Каспийская волна»", "affected": "редакция «Каспийской волны»",
        "perpetrator": "Управление здравоохранения Мангистауской области", "perpetrator_type": "государственный орган",
        "summary": "Управление здравоохранения не предоставило редакции сведения о закупках медицинского "
                   "оборудования, назвав их служебной информацией.",
        "source": "редакция",
    },
    {
        "file": ["west"], "purpose": "counted: legal_claims / civil_claims, new (Atyrau), amount '5 000 000 тг'",
        "report_id": "З-24-03-06", "event_date": D(2024, 3, 21),
        "region": "Атырауская обл.", "locality": "Атырау",
        "category": "Требования о защите чести, достоинства и деловой репутации",
        "outlet": "«Западный экспресс»", "affected": "редакция «Западного экспресса»",
        "perpetrator": "ТОО «Каспий Строй Инвест»", "perpetrator_type": "коммерческая организация",
        "summary": "Строительная компания прислала редакции досудебную претензию из-за статьи о срыве сроков "
                   "сдачи жилого дома: требует опровержения и компенсации морального вреда.",
        "legal_article": "ГК РК ст. 143", "case_ref": "ПР-АТР-2024-03", "case_stage": "досудебная претензия",
        "plaintiff": "ТОО «Каспий Строй Инвест»", "amount_claimed_kzt": "5 000 000 тг",
        "source": "редакция",
    },
    {
        "file": ["west"], "purpose": "counted: legal_claims / administrative_accusations AdmC 73-3, new (Oral)",
        "report_id": "З-24-03-07", "event_date": D(2024, 3, 25),
        "region": "Западно-Казахстанская область", "locality": "Уральск",
        "category": "Обвинения в административном порядке",
        "affected": "автор Telegram-канала о городских новостях",
        "perpetrator": "Управление полиции г. Уральска", "perpetrator_type": "правоохранительные органы",
        "summary": "На блогера составили административный протокол за распространение заведомо ложной информации "
                   "после поста о сбросе сточных вод в реку Урал; материалы переданы в суд.",
        "legal_article": "AdmC 73-3", "case_ref": "АП-ЗКО-2024-0311", "case_stage": "возбуждено дело",
        "source": "корреспондент фонда",
    },
    {
        "file": ["west"], "purpose": "not counted: hearing in March on the case first reported in February",
        "report_id": "З-24-03-08", "event_date": D(2024, 3, 20),
        "region": "Западно-Казахстанская область", "locality": "Уральск",
        "category": "Требования о защите чести, достоинства и деловой репутации",
        "outlet": "«Жайык Ньюс»", "affected": "редакция «Жайык Ньюс»",
        "perpetrator": "ТОО «Орал-Транзит»", "perpetrator_type": "коммерческая организация",
        "summary": "Суд приступил к рассмотрению иска перевозчика к «Жайык Ньюс»; первое заседание отложено "
                   "из-за неявки представителя истца.",
        "legal_article": "ГК РК ст. 143", "case_ref": "2710-24-00-2/0215", "case_stage": "судебное заседание",
        "plaintiff": "ТОО «Орал-Транзит»", "amount_claimed_kzt": "1 000 000 тенге",
        "source": "редакция «Жайык Ньюс»",
    },
    {
        "file": ["west"], "purpose": "counted in FEBRUARY: refusal with a February event date in the March workbook",
        "report_id": "З-24-03-09", "event_date": D(2024, 2, 27),
        "region": "Актюбинская область", "locality": "Хромтау",
        "category": "refusal_restriction_information",
        "outlet": "«Западный экспресс»", "affected": "журналист «Западного экспресса»",
        "perpetrator": "Акимат Хромтауского района", "perpetrator_type": "местный исполнительный орган",
        "summary": "Аким района не стал комментировать журналисту перебои с газом в посёлке и отправил его в "
                   "пресс-службу, которая так и не ответила на запрос.",
        "source": "корреспондент фонда",
    },
    {
        "file": ["west"], "purpose": "quarantined: event date in the future (01.01.2031)",
        "report_id": "З-24-03-10", "event_date": D(2031, 1, 1),
        "region": "Атырауская обл.", "locality": "Кульсары",
        "category": "Угрозы",
        "affected": "внештатный корреспондент районной газеты",
        "summary": "Журналисту в мессенджере пришли угрозы после публикации о браконьерстве на реке Жем.",
        "source": "корреспондент фонда",
    },
    {
        "file": ["west"], "purpose": "quarantined: no summary (required field)",
        "report_id": "З-24-03-11", "event_date": D(2024, 3, 28),
        "region": "Актюбинская область", "locality": "Актобе",
        "category": "Вызовы в правоохранительные, надзорные и контролирующие органы",
        "outlet": "«Западный экспресс»",
        "source": "корреспондент фонда",
    },

    # ---- North and East (English workbook) ------------------------------------------------------------
    {
        "file": ["north_east"], "purpose": "counted: journalist_media_rights / obstruction (Kostanay, TobolInfo)",
        "report_id": "NE-0301", "event_date": "2024-03-05",
        "region": "Kostanay Region", "locality": "Kostanay",
        "category": "Obstruction of lawful professional activities of journalists and media",
        "outlet": "TobolInfo", "affected": "TobolInfo reporter",
        "perpetrator": "judge of the Kostanay city court", "perpetrator_type": "court",
        "summary": "A judge sent a TobolInfo reporter out of an open hearing, saying bank secrecy applied. The case "
                   "was a local woman's suit against two banks over loans fraudsters had taken out in her name.",
        "appealed_to_police": False,
        "source": "TobolInfo", "source_url": "https://tobolinfo.kz",
        "note": "confirmed with the editor by phone",
    },
    {
        "file": ["north_east"], "purpose": "counted: journalist_media_rights / misuse_of_image (Karaganda)",
        "report_id": "NE-0302", "event_date": "12 March 2024",
        "region": "Karaganda Region", "locality": "Karaganda",
        "category": "misuse_of_image",
        "outlet": "Saryarka Today", "affected": "Saryarka Today newsroom",
        "perpetrator": "unknown", "perpetrator_type": "unknown",
        "summary": "A fake news card with the Saryarka Today logo spread in WhatsApp groups, promising state "
                   "payments to anyone who registered on a phishing site. The outlet published a denial.",
        "source": "editorial office",
    },
    {
        "file": ["north_east"], "purpose": "counted, never described: summons_to_authorities, confidential (Pavlodar)",
        "report_id": "NE-0303", "event_date": "2024-03-18",
        "region": "Pavlodar Region", "locality": "Pavlodar",
        "category": "Summonses to law-enforcement, supervisory and regulatory bodies",
        "affected": "journalist (name withheld)",
        "perpetrator": "Pavlodar city police department", "perpetrator_type": "law enforcement",
        "summary": "A journalist was called in by the police and questioned about the sources of a recent "
                   "publication. The journalist asked for no details to be made public.",
        "confidential": True,
        "source": "correspondent",
        "note": "do not publish",
    },
    {
        "file": ["north_east"], "purpose": "counted: access_dissemination / refusal (Ekibastuz)",
        "report_id": "NE-0304", "event_date": "2024-03-07",
        "region": "Pavlodar Region", "locality": "Ekibastuz",
        "category": "Refusals / restrictions (and deadline violations) in providing socially significant information",
        "outlet": "Ekibastuz Vestnik", "affected": "Ekibastuz Vestnik reporter",
        "perpetrator": "Ekibastuz town akimat", "perpetrator_type": "local executive body",
        "summary": "The akimat left a reporter's written request about repairs at the town heating plant "
                   "unanswered well past the legal deadline.",
        "source": "correspondent",
    },
    {
        "file": ["north_east"], "purpose": "counted: access_dissemination / refusal (Oskemen)",
        "report_id": "NE-0305", "event_date": "14 March 2024",
        "region": "East Kazakhstan Region", "locality": "Ust-Kamenogorsk",
        "category": "refusals or restrictions on the provision of socially significant information",
        "outlet": "Altai Times", "affected": "Altai Times journalist",
        "perpetrator": "regional education department", "perpetrator_type": "state body",
        "summary": "The regional education department would not give a journalist the number of school buildings "
                   "in emergency condition, calling the figures internal data.",
        "source": "correspondent",
    },
    {
        "file": ["north_east"], "purpose": "counted: access_dissemination / refusal (Semey)",
        "report_id": "NE-0306", "event_date": "2024-03-22",
        "region": "Abai Region", "locality": "Semey",
        "category": "refusal_restriction_information",
        "outlet": "Semey Online", "affected": "Semey Online journalist",
        "perpetrator": "Semey city hospital administration", "perpetrator_type": "state-affiliated organisation",
        "summary": "Hospital management declined to answer questions about a shortage of medicines and told the "
                   "journalist to send a written request; that request has gone unanswered.",
        "source": "correspondent",
    },
    {
        "file": ["north_east"], "purpose": "counted: access_dissemination / accreditation_denial (Petropavl)",
        "report_id": "NE-0307", "event_date": "26 March 2024",
        "region": "North Kazakhstan Region", "locality": "Petropavl",
        "category": "Denial of accreditation / revocation of access to state institutions",
        "outlet": "Soltustik Online", "affected": "Soltustik Online reporter",
        "perpetrator": "press office of the regional maslikhat", "perpetrator_type": "state body",
        "summary": "The regional maslikhat refused to accredit a Soltustik Online reporter for its session, "
                   "saying the list of accredited media had already been closed.",
        "source": "correspondent",
    },
    {
        "file": ["north_east"], "purpose": "counted: legal_claims / civil_claims, new (Temirtau), amount 20000000 as a number",
        "report_id": "NE-0308", "event_date": "2024-03-11",
        "region": "Karaganda Region", "locality": "Temirtau",
        "category": "civil claims against media outlets",
        "outlet": "Saryarka Today", "affected": "Saryarka Today",
        "perpetrator": "deputy of the Temirtau city maslikhat", "perpetrator_type": "official",
        "summary": "A city maslikhat deputy went to court to defend his honour and dignity over an article on how "
                   "land plots were handed out, and asks for moral damages.",
        "legal_article": "Civil Code Art. 143", "case_ref": "3510-24-00-2/1142", "case_stage": "new claim",
        "plaintiff": "deputy of the Temirtau city maslikhat", "amount_claimed_kzt": 20000000,
        "source": "court website; editorial office",
    },
    {
        "file": ["north_east"], "purpose": "counted: legal_claims / civil_claims, new pre-trial claim (Rudny)",
        "report_id": "NE-0309", "event_date": "19 March 2024",
        "region": "Kostanay Region", "locality": "Rudny",
        "category": "Civil pre-trial claims and lawsuits against media (honour, dignity, business reputation; moral damage)",
        "outlet": "Rudny Inform", "affected": "Rudny Inform",
        "perpetrator": "Rudny Teplo LLP", "perpetrator_type": "company",
        "summary": "A heating company sent a pre-trial claim demanding a retraction of a report on heating failures "
                   "last winter and compensation for harm to its business reputation.",
        "case_ref": "PC-KST-2024-07", "case_stage": "pre-trial claim",
        "plaintiff": "Rudny Teplo LLP", "amount_claimed_kzt": "3 000 000 KZT",
        "source": "editorial office",
    },
    {
        "file": ["north_east"], "purpose": "quarantined: category not in the taxonomy",
        "report_id": "NE-0310", "event_date": "2024-03-15",
        "region": "Kostanay Region", "locality": "Lisakovsk",
        "category": "Pressure on the editorial office",
        "outlet": "Rudny Inform",
        "summary": "An unidentified caller kept pressing the editor to take down a story about a local plant.",
        "source": "correspondent",
    },
    {
        "file": ["north_east"], "purpose": "quarantined: legal claim without a case reference",
        "report_id": "NE-0311", "event_date": "27 March 2024",
        "region": "Karaganda Region", "locality": "Balkhash",
        "category": "civil_claims",
        "outlet": "Balkhash Weekly",
        "summary": "A local businessman sued the weekly over a Facebook post that named his company in a story "
                   "about unpaid wages.",
        "case_stage": "new claim", "plaintiff": "local businessman", "amount_claimed_kzt": "2 million",
        "source": "correspondent",
        "note": "case number to follow",
    },
    {
        "file": ["north_east"], "purpose": "quarantined: ambiguous slash date 03/04/2024",
        "report_id": "NE-0312", "event_date": "03/04/2024",
        "region": "East Kazakhstan Region", "locality": "Ridder",
        "category": "refusal_restriction_information",
        "outlet": "Altai Times",
        "summary": "The town akimat did not answer a question about the quality of tap water after an accident.",
        "source": "correspondent",
    },

    # ---- South and Astana (CSV, windows-1251, ';') -----------------------------------------------------
    {
        "file": ["south"], "purpose": "counted: journalist_media_rights / obstruction (Astana, Azattyk, RF election)",
        "report_id": "Ю-03-01", "event_date": D(2024, 3, 17),
        "region": "г. Астана",
        "category": "Воспрепятствование законной профессиональной деятельности журналиста",
        "outlet": "Радио Азаттык", "affected": "корреспондент Радио Азаттык",
        "perpetrator": "сотрудники полиции", "perpetrator_type": "правоохранительные органы",
        "summary": "Корреспондент Азаттыка снимала очередь избирателей у посольства России в Астане в день "
                   "голосования на выборах президента РФ; полицейские мешали съёмке и требовали убрать камеру.",
        "appealed_to_police": False,
        "source": "сайт Радио Азаттык",
    },
    {
        "file": ["south"], "purpose": "counted: journalist_media_rights / obstruction (Shymkent), appealed to police",
        "report_id": "Ю-03-02", "event_date": D(2024, 3, 22),
        "region": "г. Шымкент",
        "category": "Воспрепятствование законной профессиональной деятельности журналиста",
        "outlet": "«Южный курьер»", "affected": "оператор «Южного курьера»",
        "perpetrator": "охранник городской поликлиники", "perpetrator_type": "государственная организация",
        "summary": "Охранник поликлиники закрыл рукой объектив и вытеснил оператора из холла, где съёмочная группа "
                   "снимала очереди к терапевтам. Редакция подала заявление в полицию.",
        "appealed_to_police": True,
        "source": "редакция «Южного курьера»",
    },
    {
        "file": ["south"], "purpose": "counted: journalist_media_rights / threats (Almaty)",
        "report_id": "Ю-03-03", "event_date": D(2024, 3, 9),
        "region": "Алматы",
        "category": "Угрозы",
        "outlet": "«Городской дозор»", "affected": "главный редактор «Городского дозора»",
        "perpetrator": "неизвестный", "perpetrator_type": "неизвестно",
        "summary": "Главный редактор получил анонимные сообщения с угрозами после серии материалов о застройке "
                   "в предгорьях.",
        "source": "редакция",
    },
    {
        "file": ["south"], "purpose": "counted: access_dissemination / court_transparency_violation (Astana military court)",
        "report_id": "Ю-03-04", "event_date": D(2024, 3, 28),
        "region": "г. Астана",
        "category": "Нарушения принципа гласности судебного процесса",
        "affected": "журналисты пяти СМИ",
        "perpetrator": "председательствующий судья Военного суда г. Астаны Жандос Мусабекулы", "perpetrator_type": "суд",
        "summary": "На открытом процессе в Военном суде Астаны судья вывел из зала журналистов пяти изданий, "
                   "потому что одна из сторон была против фото- и видеосъёмки. Трансляцию в другой зал запустили "
                   "лишь минут через сорок, звук был почти неразборчив, а заседание тем временем шло.",
        "source": "корреспондент фонда",
    },
    {
        "file": ["south"], "purpose": "counted: access_dissemination / unauthorized_access_ddos (Almaty)",
        "report_id": "Ю-03-05", "event_date": D(2024, 3, 13),
        "region": "Алматы",
        "category": "Неправомерный доступ к компьютерной информации, DDoS-атаки",
        "outlet": "«Городской дозор»", "affected": "редакция «Городского дозора»",
        "perpetrator": "неизвестные", "perpetrator_type": "неизвестно",
        "summary": "Сайт издания почти сутки не открывался из-за DDoS-атаки, которая началась после публикации "
                   "расследования о госзакупках.",
        "source": "редакция",
    },
    {
        "file": ["south"], "purpose": "counted: access_dissemination / refusal (Shymkent)",
        "report_id": "Ю-03-06", "event_date": D(2024, 3, 4),
        "region": "г. Шымкент",
        "category": "Необоснованный отказ и нарушение сроков предоставления общественно значимой информации",
        "outlet": "«Южный курьер»", "affected": "журналист «Южного курьера»",
        "perpetrator": "Управление пассажирского транспорта г. Шымкент", "perpetrator_type": "государственный орган",
        "summary": "Управление так и не ответило на запрос редакции о цене закупленных городом автобусов, хотя "
                   "срок ответа давно истёк.",
        "source": "редакция",
    },
    {
        "file": ["south"], "purpose": "counted: access_dissemination / refusal (Taraz)",
        "report_id": "Ю-03-07", "event_date": D(2024, 3, 15),
        "region": "Жамбылская обл.", "locality": "Тараз",
        "category": "refusal_restriction_information",
        "outlet": "«Тараз-Инфо»", "affected": "журналист «Тараз-Инфо»",
        "perpetrator": "Департамент полиции Жамбылской области", "perpetrator_type": "правоохранительные органы",
        "summary": "Пресс-служба полиции не подтвердила журналисту задержание подозреваемых в хищении бюджетных "
                   "денег и ограничилась ответом «информации нет».",
        "source": "корреспондент фонда",
    },
    {
        "file": ["south"], "purpose": "counted: access_dissemination / refusal (Kyzylorda)",
        "report_id": "Ю-03-08", "event_date": D(2024, 3, 26),
        "region": "Кызылординская область", "locality": "Кызылорда",
        "category": "Необоснованный отказ и нарушение сроков предоставления общественно значимой информации",
        "outlet": "«Сыр бойы онлайн»", "affected": "редакция «Сыр бойы онлайн»",
        "perpetrator": "Акимат Кызылординской области", "perpetrator_type": "местный исполнительный орган",
        "summary": "Акимат области отказался раскрыть редакции, как были потрачены деньги на ликвидацию "
                   "последствий прошлогоднего паводка, сославшись на незавершённую проверку.",
        "source": "редакция",
    },
    {
        "file": ["south"], "purpose": "counted: legal_claims / civil_claims, new (Almaty), amount '1,5 млн'",
        "report_id": "Ю-03-09", "event_date": D(2024, 3, 12),
        "region": "Алматы",
        "category": "Требования о защите чести, достоинства и деловой репутации (претензии и иски)",
        "outlet": "«Городской дозор»", "affected": "редакция «Городского дозора»",
        "perpetrator": "ТОО «Алатау Девелопмент»", "perpetrator_type": "коммерческая организация",
        "summary": "Застройщик подал иск о защите деловой репутации из-за материала о стройке в предгорьях, "
                   "требует опровержения и компенсации.",
        "legal_article": "ГК РК ст. 143", "case_ref": "7511-24-00-2/2231", "case_stage": "новый иск",
        "plaintiff": "ТОО «Алатау Девелопмент»", "amount_claimed_kzt": "1,5 млн",
        "source": "редакция",
    },
    {
        "file": ["south"], "purpose": "counted: legal_claims / civil_claims, new pre-trial claim (Turkistan)",
        "report_id": "Ю-03-10", "event_date": D(2024, 3, 29),
        "region": "Туркестанская область", "locality": "Туркестан",
        "category": "civil_claims",
        "outlet": "«Южный курьер»", "affected": "редакция «Южного курьера»",
        "perpetrator": "главный врач районной больницы", "perpetrator_type": "должностное лицо",
        "summary": "Главврач районной больницы направил редакции претензию: требует опровергнуть опубликованные "
                   "жалобы пациентов и возместить моральный вред.",
        "case_ref": "ПР-ТРК-2024-02", "case_stage": "претензия",
        "plaintiff": "главный врач районной больницы", "amount_claimed_kzt": "500 тыс. тенге",
        "source": "редакция",
    },
    {
        "file": ["south"], "purpose": "context (never counted): legislation, 1 March",
        "report_id": "Ю-03-11", "event_date": D(2024, 3, 1),
        "region": "г. Астана",
        "category": "legislation",
        "perpetrator": "Министерство культуры и информации", "perpetrator_type": "государственный орган",
        "summary": "Минкультуры и информации вынесло на публичное обсуждение проект приказа о правилах, по которым "
                   "уполномоченный орган сможет ограничивать доступ к интернет-ресурсам, зарубежным онлайн-платформам "
                   "и мессенджерам. Разработчики обосновывают его информационной безопасностью и борьбой с "
                   "противоправным контентом.",
        "source": "портал открытых НПА", "source_url": "https://legalacts.egov.kz",
    },
    {
        "file": ["south"], "purpose": "context (never counted): legislation, 13 March",
        "report_id": "Ю-03-12", "event_date": D(2024, 3, 13),
        "region": "г. Астана",
        "category": "Законодательство: законопроекты, приказы и правила",
        "perpetrator": "Мажилис Парламента РК", "perpetrator_type": "государственный орган",
        "summary": "Мажилис в первом чтении одобрил законопроект об оптимизации Уголовного, Уголовно-процессуального "
                   "и Уголовно-исполнительного кодексов. Адвокаты получат право подавать в суд акт защиты и давать "
                   "опровержения в СМИ, когда сведения стороны обвинения вызвали резонанс; разглашать данные "
                   "досудебного расследования им по-прежнему нельзя.",
        "source": "сайт Парламента РК", "source_url": "https://www.parlam.kz",
    },
    {
        "file": ["south"], "purpose": "context (never counted): official_statement, 15 March",
        "report_id": "Ю-03-13", "event_date": D(2024, 3, 15),
        "region": "г. Астана",
        "category": "Заявления должностных лиц и государственная политика",
        "perpetrator": "Президент РК Касым-Жомарт Токаев", "perpetrator_type": "должностное лицо",
        "summary": "Выступая на третьем заседании Национального курултая, Президент Касым-Жомарт Токаев "
                   "перечислил идеологические принципы страны и поручил госорганам продвигать эти ценности, в том "
                   "числе через СМИ, кино, музыку и литературу.",
        "source": "сайт Акорды", "source_url": "https://www.akorda.kz",
    },
    {
        "file": ["south"], "purpose": "context (never counted): official_statement, 31 March",
        "report_id": "Ю-03-14", "event_date": D(2024, 3, 31),
        "region": "г. Астана",
        "category": "official_statement",
        "perpetrator": "министр культуры и информации Аида Балаева", "perpetrator_type": "должностное лицо",
        "summary": "Министр культуры и информации Аида Балаева попросила пользователей соцсетей проверять сведения "
                   "о паводках, прежде чем делиться ими: из-за ложных сообщений экстренные службы выезжают впустую. "
                   "Она напомнила об ответственности за распространение ложной информации.",
        "source": "страница министра в Facebook",
    },
    {
        "file": ["south"], "purpose": "quarantined: unknown region 'Нарния'",
        "report_id": "Ю-03-15", "event_date": D(2024, 3, 18),
        "region": "Нарния",
        "category": "refusal_restriction_information",
        "outlet": "«Южный курьер»",
        "summary": "Сельский акимат не ответил на запрос о строительстве школы.",
        "source": "корреспондент фонда",
    },
    {
        "file": ["south"], "purpose": "quarantined: impossible date 32.03.2024",
        "report_id": "Ю-03-16", "event_date": "32.03.2024",
        "region": "г. Шымкент",
        "category": "Угрозы",
        "outlet": "«Южный курьер»",
        "summary": "Журналисту позвонил неизвестный и пригрозил расправой из-за комментария в соцсетях.",
        "source": "корреспондент фонда",
    },

    # ---- February (Russian workbook, header in row 1, dates written out) --------------------------------
    {
        "file": ["west_february"], "purpose": "counted in FEBRUARY: legal_claims / civil_claims, new case (Oral)",
        "report_id": "З-24-02-05", "event_date": "15 февраля 2024",
        "region": "Западно-Казахстанская область", "locality": "Уральск",
        "category": "Требования о защите чести, достоинства и деловой репутации",
        "outlet": "«Жайык Ньюс»", "affected": "редакция «Жайык Ньюс»",
        "perpetrator": "ТОО «Орал-Транзит»", "perpetrator_type": "коммерческая организация",
        "summary": "Перевозчик подал в суд на «Жайык Ньюс» из-за материала о поломках пригородных автобусов и "
                   "требует опровержения и компенсации за ущерб деловой репутации.",
        "legal_article": "ГК РК ст. 143", "case_ref": "2710-24-00-2/0215", "case_stage": "подан иск",
        "plaintiff": "ТОО «Орал-Транзит»", "amount_claimed_kzt": "1 000 000 тенге",
        "source": "редакция «Жайык Ньюс»",
    },
]

# ---------------------------------------------------------------------------------------------------
# The layouts: where each correspondent's file goes and how its table looks.
# ---------------------------------------------------------------------------------------------------
FILES: dict[str, dict] = {
    "west": {
        "path": "2024-03/zapad_monitoring_mart_2024.xlsx",
        "kind": "xlsx",
        "author": "Корреспондент, Западный регион",
        "sheet": "Март 2024",
        "title_rows": [
            "Мониторинг нарушений свободы слова",
            "Корреспондент: Западный регион (Атырау, Актобе, Уральск, Актау), март 2024",
            "",
        ],
        "dates": "excel",
        "yes_no": ("да", "нет"),
        "columns": [
            ("report_id", "№ сообщения"),
            ("event_date", "Дата события"),
            ("region", "Регион / Область"),
            ("locality", "Город / Населённый пункт"),
            ("category", "Категория / Вид нарушения"),
            ("outlet", "СМИ"),
            ("outlet_domain", "Сайт СМИ"),
            ("affected", "Пострадавшие"),
            ("perpetrator", "Предполагаемый нарушитель"),
            ("perpetrator_type", "Тип нарушителя"),
            ("summary", "Описание"),
            ("legal_article", "Статья"),
            ("case_ref", "№ дела"),
            ("case_stage", "Стадия"),
            ("plaintiff", "Истец"),
            ("amount_claimed_kzt", "Сумма иска, тенге"),
            ("appealed_to_police", "Обращение в правоохранительные органы"),
            ("source", "Источник"),
            ("source_url", "Ссылка"),
            ("confidential", "Конфиденциально"),
        ],
        "instructions": (
            "Инструкция",
            [
                "Как заполнять таблицу мониторинга",
                "Одна строка таблицы — одно сообщение о нарушении.",
                "Дату события пишите как дату (ДД.ММ.ГГГГ), а не дату, когда вы узнали о случае.",
                "Вид нарушения выбирайте из классификатора фонда; если сомневаетесь, подробно опишите случай.",
                "Для претензий и исков обязательно укажите номер дела или претензии и стадию.",
                "Если пострадавший просит не раскрывать подробности, поставьте «да» в последней колонке.",
                "Заполненную таблицу отправляйте до 5-го числа следующего месяца.",
            ],
        ),
    },
    "north_east": {
        "path": "2024-03/north_east_reports_march_2024.xlsx",
        "kind": "xlsx",
        "author": "Correspondent, North and East",
        "sheet": "Reports",
        "title_rows": [],
        "dates": "text",
        "yes_no": ("yes", "no"),
        "columns": [
            ("category", "Category"),
            ("event_date", "Event date"),
            ("region", "Region"),
            ("locality", "City / Locality"),
            ("summary", "Summary"),
            ("outlet", "Media outlet"),
            ("affected", "Affected persons"),
            ("perpetrator", "Alleged violator"),
            ("perpetrator_type", "Violator type"),
            ("case_ref", "Case reference"),
            ("case_stage", "Case stage"),
            ("plaintiff", "Plaintiff"),
            ("amount_claimed_kzt", "Amount claimed, KZT"),
            ("legal_article", "Legal article"),
            ("appealed_to_police", "Appealed to law enforcement"),
            ("confidential", "Confidential"),
            ("source", "Source"),
            ("source_url", "Source URL"),
            ("note", "Internal note"),
            ("report_id", "Report ID"),
        ],
    },
    "south": {
        "path": "2024-03/yug_i_astana_mart_2024.csv",
        "kind": "csv",
        "encoding": "cp1251",
        "delimiter": ";",
        "dates": "dotted",
        "yes_no": ("да", "нет"),
        "columns": [
            ("report_id", "№ сообщения"),
            ("event_date", "Дата события"),
            ("region", "Область"),
            ("locality", "Город"),
            ("category", "Вид нарушения"),
            ("outlet", "СМИ"),
            ("affected", "Пострадавшие"),
            ("perpetrator", "Нарушитель"),
            ("perpetrator_type", "Тип нарушителя"),
            ("summary", "Описание"),
            ("legal_article", "Статья"),
            ("case_ref", "№ дела"),
            ("case_stage", "Стадия"),
            ("plaintiff", "Истец"),
            ("amount_claimed_kzt", "Сумма иска"),
            ("appealed_to_police", "Обращение в правоохранительные органы"),
            ("source", "Источник"),
            ("source_url", "Ссылка"),
            ("confidential", "Конфиденциально"),
        ],
    },
    "west_february": {
        "path": "2024-02/zapad_monitoring_fevral_2024.xlsx",
        "kind": "xlsx",
        "author": "Корреспондент, Западный регион",
        "sheet": "Февраль",
        "title_rows": [],
        "dates": "excel",
        "yes_no": (1, 0),
        "columns": [
            ("report_id", "№"),
            ("event_date", "Дата"),
            ("region", "Область"),
            ("locality", "Населенный пункт"),
            ("category", "Категория"),
            ("outlet", "СМИ"),
            ("affected", "Пострадавшие"),
            ("perpetrator", "Нарушитель"),
            ("perpetrator_type", "Тип нарушителя"),
            ("summary", "Краткое описание"),
            ("legal_article", "Статья"),
            ("case_ref", "Номер дела"),
            ("case_stage", "Стадия дела"),
            ("plaintiff", "Истец"),
            ("amount_claimed_kzt", "Сумма иска"),
            ("source", "Источник"),
            ("confidential", "Конфиденциально"),
        ],
    },
}

# Not a workbook at all: the reader must quarantine it as a file.
BROKEN_FILE = ("2024-03/broken.xlsx", "Файл повреждён при пересылке по почте.\n".encode("utf-8"))

BOOL_FIELDS = {"appealed_to_police", "sent_to_court", "verdict_for_journalist", "confidential"}
NOT_WRITTEN = {"file", "purpose"}


def reports_of(file_key: str) -> list[dict]:
    return [r for r in REPORTS if file_key in r["file"]]


def _check_columns(file_key: str, layout: dict, reports: list[dict]) -> None:
    """Every value of a report needs a column in the layout, or it would be silently dropped."""
    known = {name for name, _ in layout["columns"]}
    for report in reports:
        missing = [k for k, v in report.items() if k not in NOT_WRITTEN and v is not None and k not in known]
        if missing:
            raise SystemExit(f"{file_key}: report {report['report_id']} has no column for {', '.join(missing)}")


def cell_value(field: str, value: object, layout: dict) -> object:
    """A report value as this layout writes it (None for an empty cell)."""
    if value is None:
        return None
    if field in BOOL_FIELDS:
        yes, no = layout["yes_no"]
        return yes if value else no
    if isinstance(value, dt.date):
        style = layout["dates"]
        if style == "excel":
            return value
        if style == "dotted":
            return f"{value:%d.%m.%Y}"
        return value.isoformat()
    if layout["kind"] == "csv":
        return str(value)
    return value


def _fixed_zip(data: bytes, core_xml: bytes) -> bytes:
    """The workbook's zip rewritten with fixed entry times and fixed document properties."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = core_xml if info.filename == "docProps/core.xml" else source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return target_buffer.getvalue()


def write_xlsx(path: Path, layout: dict, reports: list[dict]) -> None:
    from openpyxl.xml.functions import tostring

    book = Workbook()
    sheet = book.active
    sheet.title = layout["sheet"]
    for text in layout["title_rows"]:
        sheet.append([text or None])
    if layout["title_rows"]:
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.append([header for _, header in layout["columns"]])
    header_row = sheet.max_row
    for column in range(1, len(layout["columns"]) + 1):
        cell = sheet.cell(row=header_row, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for report in reports:
        sheet.append([cell_value(field, report.get(field), layout) for field, _ in layout["columns"]])
        for column, (field, _) in enumerate(layout["columns"], start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"
            cell.alignment = Alignment(wrap_text=field == "summary", vertical="top")
    for column, (field, _) in enumerate(layout["columns"], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = 60 if field == "summary" else 18
    if "instructions" in layout:
        title, lines = layout["instructions"]
        notes = book.create_sheet(title)
        for line in lines:
            notes.append([line])
        notes.column_dimensions["A"].width = 100

    props = book.properties
    props.creator = props.lastModifiedBy = layout["author"]
    props.title = layout["sheet"]
    props.created = props.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl stamps 'modified' with the current time here...
    props.modified = FIXED_TIME  # ...so the properties part is written again, fixed
    path.write_bytes(_fixed_zip(buffer.getvalue(), tostring(props.to_tree())))


def write_csv(path: Path, layout: dict, reports: list[dict]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=layout["delimiter"], lineterminator="\r\n")
    writer.writerow([header for _, header in layout["columns"]])
    for report in reports:
        writer.writerow([cell_value(f, report.get(f), layout) or "" for f, _ in layout["columns"]])
    path.write_bytes(buffer.getvalue().encode(layout["encoding"]))


def build(out: Path = OUT) -> list[Path]:
    written = []
    for file_key, layout in FILES.items():
        reports = reports_of(file_key)
        _check_columns(file_key, layout, reports)
        path = out / layout["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        (write_csv if layout["kind"] == "csv" else write_xlsx)(path, layout, reports)
        written.append(path)
    broken_path, broken_bytes = BROKEN_FILE
    path = out / broken_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(broken_bytes)
    written.append(path)
    return written


if __name__ == "__main__":
    for written_path in build():
        print(written_path.relative_to(HERE))
