"""The lexicon's second domain pass: everyday words and phrases for the columns of common public and
enterprise tables, domain by domain.

Every table and sentence here was written for these tests from general knowledge of how such tables name
their columns (snake_case, CamelCase, abbreviations, units) and how people ask about them. Each case is
checked both ways: the synonym reaches its column, and the same sentence shape naming a different quantity
the table lacks still leaves that quantity missing.
"""

from __future__ import annotations

import pytest

from sgr.autoviz.lexicon import PHRASES, names_a_field, synonyms
from sgr.autoviz.profile import DataProfile
from sgr.autoviz.question import analyze_question
from tests.autoviz.profiles import column, table

_DTYPES = {"measure": "DOUBLE", "categorical": "VARCHAR", "temporal": "DATE", "identifier": "BIGINT"}


def _t(*specs: str) -> DataProfile:
    """A table from "name:role" specs (role defaults to measure): a hundred of them read easier in this form."""
    roles = [(name, role or "measure") for name, _sep, role in (spec.partition(":") for spec in specs)]
    return table(*(column(name, _DTYPES[role], role, 40 if role == "measure" else 8) for name, role in roles),
                 n_rows=500)


#: (domain, table, a question using a domain word or phrase, the column it must reach, the same shape naming a
#: different quantity the table lacks, that quantity as reported)
CASES = [
    # HR and people
    ("hr", _t("department:categorical", "remuneration", "hire_date:temporal"),
     "total payroll by department", "remuneration", "total overtime by department", "overtime"),
    ("hr", _t("team:categorical", "absences", "tenure_years"),
     "average sick days per team", "absences", "average vacation allowance per team", "vacation allowance"),
    ("hr", _t("separation:categorical", "dept:categorical", "salary"),
     "average salary by termination", "separation", "average salary by grievance outcome", "grievance outcome"),
    # schools and education
    ("education", _t("maths", "english", "school:categorical"),
     "average mathematics by school", "maths", "average physics by school", "physics"),
    ("education", _t("GPA", "major:categorical", "cohort:categorical"),
     "mean grade point average by major", "GPA", "mean retention by major", "retention"),
    # retail and e-commerce
    ("retail", _t("order_date:temporal", "postage", "marketplace:categorical"),
     "average shipping per marketplace", "postage", "average packaging per marketplace", "packaging"),
    ("retail", _t("promotion:categorical", "net_sales", "store:categorical"),
     "net sales by promo", "promotion", "net sales by loyalty tier", "loyalty tier"),
    ("retail", _t("voucher_code:categorical", "basket_total"),
     "average basket total by coupon", "voucher_code", "average basket total by gift wrap", "gift wrap"),
    ("retail", _t("aov", "channel:categorical", "week:temporal"),
     "average order value by channel", "aov", "average order margin by channel", "margin"),
    ("retail", _t("gmv", "seller_tier:categorical"),
     "gross merchandise value by seller tier", "gmv", "net promoter value by seller tier", "promoter value"),
    # payments and banking
    ("banking", _t("merchant:categorical", "amount", "Fraudulent:categorical"),
     "total amount by fraud", "Fraudulent", "total amount by chargeback", "chargeback"),
    ("banking", _t("apr", "loan_purpose:categorical", "loan_amnt"),
     "average annual percentage rate by loan purpose", "apr", "average origination fee by loan purpose",
     "origination fee"),
    ("banking", _t("fico", "state:categorical", "balance"),
     "average credit score by state", "fico", "average credit limit by state", "credit"),
    ("banking", _t("ccy:categorical", "notional", "trade_date:temporal"),
     "total notional by currency", "ccy", "total notional by counterparty", "counterparty"),
    ("banking", _t("dti", "grade:categorical", "annual_inc"),
     "median debt to income by grade", "dti", "median revolving utilisation by grade", "revolving utilisation"),
    ("banking", _t("fx_rate", "trade_date:temporal", "pair:categorical"),
     "average exchange rate by pair", "fx_rate", "average swap points by pair", "swap"),
    # insurance claims
    ("insurance", _t("policy_deductable", "incident_type:categorical", "total_claim_amount"),
     "average deductible by incident type", "policy_deductable", "average premium by incident type", "premium"),
    ("insurance", _t("excess", "cover_level:categorical"),
     "average deductible per cover level", "excess", "average no claims discount per cover level",
     "claims discount"),
    ("insurance", _t("assessor:categorical", "claim_amount", "region:categorical"),
     "total claim amount per adjuster", "assessor", "total claim amount per broker", "broker"),
    # hospitals, clinics and lab tests
    ("health", _t("readmitted:categorical", "age_band:categorical", "time_in_hospital"),
     "average time in hospital by readmission", "readmitted", "average time in hospital by discharge disposition",
     "discharge disposition"),
    ("health", _t("pulse", "ward:categorical", "age"),
     "average heart rate by ward", "pulse", "average respiratory rate by ward", "respiratory rate"),
    ("health", _t("chol", "age", "sex:categorical"),
     "average cholesterol by sex", "chol", "average triglycerides by sex", "triglycerides"),
    ("health", _t("tat_hours", "test_name:categorical", "lab:categorical"),
     "median turnaround time by lab", "tat_hours", "median collection delay by lab", "collection delay"),
    ("health", _t("bmi_value", "gender:categorical", "age"),
     "average body mass index by gender", "bmi_value", "average body fat by gender", "body fat"),
    ("health", _t("Glucose", "Outcome:categorical", "Age"),
     "average blood sugar by outcome", "Glucose", "average insulin dose by outcome", "insulin dose"),
    ("health", _t("ward:categorical", "stay_days", "admit_date:temporal"),
     "average length of stay per ward", "stay_days", "average bed occupancy per ward", "bed occupancy"),
    ("health", _t("dx_code:categorical", "cost", "payer:categorical"),
     "total cost by diagnosis", "dx_code", "total cost by procedure", "procedure"),
    ("health", _t("persons_killed", "BORO:categorical", "persons_injured"),
     "total fatalities by borough", "persons_killed", "total casualties by borough", "casualties"),
    # pharmacy
    ("pharmacy", _t("rx_count", "pharmacy:categorical", "month:temporal"),
     "total prescriptions per drugstore", "rx_count", "total refills per drugstore", "refills"),
    ("pharmacy", _t("dosage_mg", "drug:categorical"),
     "average dose by medicine", "dosage_mg", "average shelf life by medicine", "shelf life"),
    ("pharmacy", _t("copayment", "plan:categorical"),
     "average copay by plan", "copayment", "average coinsurance by plan", "coinsurance"),
    # hotels and short-term rentals
    ("hotels", _t("hotel:categorical", "adr", "lead_time", "is_canceled:categorical"),
     "average daily rate by hotel", "adr", "average occupancy rate by hotel", "occupancy rate"),
    ("hotels", _t("hotel:categorical", "adr", "lead_time", "is_canceled:categorical"),
     "average lead time by cancellation", "is_canceled", "average lead time by deposit type", "deposit"),
    # restaurants and food-safety inspections
    ("inspections", _t("violations", "BORO:categorical", "score"),
     "total infractions by borough", "violations", "total closures by borough", "closures"),
    ("inspections", _t("insp_date:temporal", "grade:categorical", "score"),
     "average score by inspection date", "insp_date", "average score by reinspection date", "reinspection"),
    # airlines and airports
    ("airlines", _t("aircraft_type:categorical", "dep_delay", "carrier:categorical"),
     "average dep delay by airplane type", "aircraft_type", "average dep delay by runway", "runway"),
    ("airlines", _t("pax", "route:categorical"),
     "total passengers per route", "pax", "total baggage per route", "baggage"),
    ("airlines", _t("Embarked:categorical", "Fare", "Pclass:categorical"),
     "average ticket price by embarkation", "Fare", "average cabin deck by embarkation", "cabin deck"),
    # public transport
    ("transit", _t("station:categorical", "ridership", "service_date:temporal"),
     "total patronage by stop", "ridership", "total crowding by stop", "crowding"),
    ("transit", _t("vessel:categorical", "sailings", "port:categorical"),
     "total sailings per boat", "vessel", "total sailings per captain", "captain"),
    # taxis and ride-share
    ("taxis", _t("pickup_datetime:temporal", "trip_distance", "fare_amount"),
     "average trip distance by pick up time", "pickup_datetime", "average trip distance by toll plaza",
     "toll plaza"),
    # bike and scooter share
    ("bikes", _t("bicycle_type:categorical", "duration_min", "start_station:categorical"),
     "average duration by bike type", "bicycle_type", "average duration by dock type", "dock"),
    # logistics, shipping and warehouses
    ("logistics", _t("cargo", "port:categorical", "arrival_date:temporal"),
     "total freight by port", "cargo", "total ballast by port", "ballast"),
    # manufacturing and quality control
    ("manufacturing", _t("machine:categorical", "faults", "shift:categorical"),
     "total defects by equipment", "faults", "total scrap by equipment", "scrap"),
    ("manufacturing", _t("downtime_hours", "plant:categorical", "output_units"),
     "total outage by plant", "downtime_hours", "total changeover by plant", "changeover"),
    ("manufacturing", _t("throughput", "cell:categorical", "run_date:temporal"),
     "average output per cell", "throughput", "average cycle time per cell", "cycle"),
    # energy, utilities, EV charging and solar
    ("energy", _t("insolation", "dc_power", "source_key:categorical"),
     "average solar radiation by source key", "insolation", "average wind speed by source key", "wind speed"),
    ("energy", _t("pv_kwh", "site:categorical", "grid_kwh"),
     "total solar by site", "pv_kwh", "total curtailment by site", "curtailment"),
    ("energy", _t("ghg_tonnes", "sector:categorical", "year:temporal"),
     "total greenhouse gas by sector", "ghg_tonnes", "total water withdrawal by sector", "water withdrawal"),
    # weather and climate
    ("weather", _t("prcp", "station:categorical", "obs_date:temporal"),
     "total rainfall per station", "prcp", "total sunshine per station", "sunshine"),
    ("weather", _t("rh", "station:categorical", "obs_date:temporal"),
     "average humidity by station", "rh", "average visibility by station", "visibility"),
    ("weather", _t("cloudcover", "conditions:categorical", "datetime:temporal"),
     "average cloudiness by conditions", "cloudcover", "average dew by conditions", "dew"),
    ("weather", _t("apparent_temperature", "weather_code:categorical", "time:temporal"),
     "average feels like by weather code", "apparent_temperature", "average wind chill by weather code",
     "wind chill"),
    # agriculture
    ("agriculture", _t("hectares", "crop:categorical", "year:temporal"),
     "total acreage by crop", "hectares", "total tonnage by crop", "tonnage"),
    ("agriculture", _t("fertiliser_kg", "field:categorical"),
     "average fertilizer by field", "fertiliser_kg", "average pesticide by field", "pesticide"),
    ("agriculture", _t("irrigated:categorical", "yield_t_ha", "county:categorical"),
     "average yield by irrigation", "irrigated", "average yield by soil type", "soil"),
    # real estate, housing and building permits
    ("real estate", _t("storeys", "price", "suburb:categorical"),
     "average price by floors", "storeys", "average price by garage spaces", "garage spaces"),
    ("real estate", _t("sqft_living", "price", "bedrooms"),
     "median price by square footage", "sqft_living", "median price by lot frontage", "lot frontage"),
    ("real estate", _t("yr_built", "price", "zipcode:categorical"),
     "average price by construction year", "yr_built", "average price by roof type", "roof"),
    ("real estate", _t("YearRemodAdd", "SalePrice", "Neighborhood:categorical"),
     "average sale price by remodel year", "YearRemodAdd", "average sale price by roof material", "roof material"),
    # government services, elections and 311
    ("elections", _t("electorate", "votes_cast", "constituency:categorical"),
     "total registered voters by riding", "electorate", "total spoiled ballots by riding", "spoiled ballots"),
    # policing, crime and parking
    ("parking", _t("plate_id:categorical", "fine_amount", "violation:categorical"),
     "total fine amount by infraction", "violation", "total fine amount by meter zone", "meter zone"),
    # team sports
    ("sports", _t("draws", "wins", "team:categorical"),
     "total ties per team", "draws", "total clean sheets per team", "clean sheets"),
    ("sports", _t("gameweek:categorical", "points", "player:categorical"),
     "total points by matchday", "gameweek", "total points by kit colour", "kit"),
    ("sports", _t("umpire:categorical", "runs", "venue:categorical"),
     "average runs by referee", "umpire", "average runs by groundskeeper", "groundskeeper"),
    ("sports", _t("xg", "team:categorical", "season:categorical"),
     "average expected goals by team", "xg", "average expected assists by team", "expected assists"),
    ("sports", _t("REB", "PTS", "player:categorical"),
     "average rebounds per player", "REB", "average turnovers per player", "turnovers"),
    # gyms and fitness
    ("fitness", _t("Workout_Type:categorical", "Calories_Burned", "Avg_BPM"),
     "average heart rate by exercise type", "Avg_BPM", "average step count by exercise type", "step count"),
    ("fitness", _t("membership_type:categorical", "visits_per_week", "age"),
     "average visits per week by member type", "membership_type", "average visits per week by locker size",
     "locker size"),
    # streaming, music and apps
    ("music", _t("bpm", "genre:categorical", "streams"),
     "average tempo by genre", "bpm", "average loudness by genre", "loudness"),
    ("apps", _t("Installs", "Category:categorical", "Rating"),
     "total downloads by category", "Installs", "total crashes by category", "crashes"),
    # publishing and libraries
    ("libraries", _t("Checkouts", "MaterialType:categorical", "Creator:categorical"),
     "total borrowings by author", "Checkouts", "total renewals by author", "renewals"),
    ("publishing", _t("units", "imprint:categorical", "list_price"),
     "total copies sold by publisher", "imprint", "total royalties by publisher", "royalties"),
    ("publishing", _t("year_published:temporal", "pages", "genre:categorical"),
     "average pages by publication year", "year_published", "average pages by translation year", "translation"),
    # cinema, theatre and live events
    ("cinema", _t("worldwide_gross", "budget", "director:categorical"),
     "total box office by filmmaker", "worldwide_gross", "total admissions by filmmaker", "admissions"),
    ("cinema", _t("revenue", "genres:categorical", "release_date:temporal"),
     "box office by genre", "revenue", "total award nominations by genre", "award nominations"),
    # museums and tourism
    ("tourism", _t("attraction:categorical", "visitors", "month:temporal"),
     "total tourists by attraction", "visitors", "total souvenirs by attraction", "souvenirs"),
    # marketing and advertising
    ("marketing", _t("ctr_pct", "campaign:categorical", "cpc"),
     "average click through rate by campaign", "ctr_pct", "average bounce rate by campaign", "bounce rate"),
    ("marketing", _t("ctr", "campaign:categorical", "cpc"),
     "average cost per click by campaign", "cpc", "average quality score by campaign", "quality score"),
    ("marketing", _t("cpa", "channel:categorical", "roi"),
     "average cost per acquisition by channel", "cpa", "average lifetime value by channel", "lifetime value"),
    ("marketing", _t("spend", "channel:categorical", "roi"),
     "average return on investment by channel", "roi", "average payback by channel", "payback"),
    # web and app analytics
    ("web", _t("avg_session_duration", "device:categorical", "visits"),
     "average time on site by device", "avg_session_duration", "average scroll depth by device", "scroll depth"),
    ("web", _t("visits", "source:categorical", "bounces"),
     "total sessions by referrer", "visits", "total sessions by landing page", "landing page"),
    # customer support
    ("support", _t("csat", "agent:categorical", "aht"),
     "average satisfaction by agent", "csat", "average sentiment by agent", "sentiment"),
    ("support", _t("csat", "agent:categorical", "aht"),
     "average handle time by agent", "aht", "average hold time by agent", "hold"),
    # telecom
    ("telecom", _t("arpu", "plan:categorical", "tenure"),
     "average revenue per user by plan", "arpu", "average dropped calls by plan", "dropped calls"),
    # software incidents and devops
    ("devops", _t("host:categorical", "latency_ms", "service:categorical"),
     "average response time by server", "latency_ms", "average queue depth by server", "queue depth"),
    ("devops", _t("host:categorical", "latency_ms", "service:categorical"),
     "average latency by server", "host", "average latency by kernel version", "kernel version"),
    ("devops", _t("deploys", "team:categorical", "week:temporal"),
     "total deployments by team", "deploys", "total rollbacks by team", "rollbacks"),
    ("devops", _t("uptime_pct", "region:categorical"),
     "average availability by region", "uptime_pct", "average error budget by region", "error budget"),
    ("devops", _t("ram_gb", "cpu_cores", "instance_type:categorical"),
     "average memory by instance type", "ram_gb", "average disk by instance type", "disk"),
    ("devops", _t("repo:categorical", "commits", "author:categorical"),
     "total commits per repository", "repo", "total commits per sprint", "sprint"),
    ("devops", _t("outage_minutes", "service:categorical", "month:temporal"),
     "total downtime by service", "outage_minutes", "total toil by service", "toil"),
    # nonprofits and donations
    ("nonprofits", _t("donor_name:categorical", "amount", "gift_date:temporal"),
     "total amount by philanthropist", "donor_name", "total amount by fundraiser", "fundraiser"),
    # animal shelters and pets
    ("shelters", _t("animal_type:categorical", "outcome_type:categorical", "age_days"),
     "average age days by species", "animal_type", "average age days by breed", "breed"),
    # environment and air quality
    ("environment", _t("o3", "no2", "station:categorical"),
     "average ozone by station", "o3", "average sulphur dioxide by station", "sulphur dioxide"),
    ("environment", _t("o3", "no2", "station:categorical"),
     "average nitrogen dioxide by station", "no2", "average benzene by station", "benzene"),
    ("environment", _t("aqi", "city:categorical", "date:temporal"),
     "average air quality by city", "aqi", "average pollen count by city", "pollen count"),
    ("environment", _t("waste_tonnes", "borough:categorical"),
     "total garbage by borough", "waste_tonnes", "total compost by borough", "compost"),
    # scientific experiments
    ("science", _t("conc", "treatment:categorical", "replicate:categorical"),
     "mean concentration by treatment", "conc", "mean absorbance by treatment", "absorbance"),
    ("science", _t("volts", "cell_id:categorical", "cycle:categorical"),
     "average voltage by cycle", "volts", "average impedance by cycle", "impedance"),
    ("science", _t("participant_group:categorical", "score", "session:categorical"),
     "average score by respondent group", "participant_group", "average score by interviewer group",
     "interviewer"),
]


@pytest.mark.parametrize(("domain", "profile", "question", "column"),
                         [(d, p, q, c) for d, p, q, c, _m, _f in CASES])
def test_a_domain_word_reaches_its_column(domain: str, profile: DataProfile, question: str, column: str) -> None:
    a = analyze_question(question, profile)
    assert a.unmatched == [], (domain, question, a.unmatched)
    assert column in [m.column for m in a.mentions], (domain, question, a.mentions)


@pytest.mark.parametrize(("domain", "profile", "question", "missing"),
                         [(d, p, m, f) for d, p, _q, _c, m, f in CASES])
def test_a_different_quantity_in_the_same_shape_stays_missing(domain: str, profile: DataProfile, question: str,
                                                              missing: str) -> None:
    a = analyze_question(question, profile)
    assert missing in a.unmatched, (domain, question, a.unmatched, a.mentions)


def test_every_listed_domain_has_cases() -> None:
    assert len({d for d, *_rest in CASES}) >= 30 and len(CASES) >= 100


# -- groups stay tight: words of one trade that name different quantities ------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("payroll", "bonus"), ("postage", "delivery"), ("promo", "coupon"), ("excess", "premium"),
    ("fatalities", "injuries"), ("deaths", "injured"), ("dose", "frequency"), ("copay", "premium"),
    ("cancellation", "refund"), ("violation", "fine"), ("ridership", "revenue"), ("station", "route"),
    ("defect", "scrap"), ("downtime", "duration"), ("throughput", "yield"), ("throughput", "harvest"),
    ("irradiance", "sunshine"), ("acreage", "yield"), ("draws", "losses"), ("referee", "coach"),
    ("tempo", "duration"), ("downloads", "streams"), ("checkouts", "sales"), ("tourist", "guest"),
    ("session", "visitor"), ("satisfaction", "rating"), ("uptime", "latency"), ("server", "home"),
    ("species", "breed"), ("ozone", "emissions"), ("voltage", "power"), ("vessel", "shipping"),
    ("pulse", "tempo"), ("storeys", "minimum"), ("workout", "duration"), ("payroll", "revenue"),
])
def test_new_groups_stay_tight_across_kinds(a: str, b: str) -> None:
    assert not synonyms(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("payroll", "remuneration"), ("maths", "mathematics"), ("postage", "shipping"), ("promo", "promotion"),
    ("deductible", "deductable"), ("deductible", "excess"), ("haemoglobin", "hgb"), ("cholesterol", "chol"),
    ("turnaround", "tat"), ("prescriptions", "rx"), ("dosage", "dose"), ("copay", "copayment"),
    ("cancellations", "canceled"), ("infraction", "violations"), ("airplane", "aircraft"), ("passengers", "pax"),
    ("stop", "station"), ("patronage", "ridership"), ("boat", "vessel"), ("bicycle", "bike"), ("cargo", "freight"),
    ("fault", "defects"), ("outage", "downtime"), ("equipment", "machine"), ("photovoltaic", "pv"),
    ("insolation", "irradiation"), ("sessions", "visits"), ("rainfall", "prcp"), ("humidity", "rh"),
    ("acreage", "hectares"), ("fertilizer", "fertiliser"), ("remodel", "remod"), ("stories", "floors"),
    ("ties", "draws"), ("matchday", "gameweek"), ("umpire", "referee"), ("rebounds", "reb"), ("exercise", "workout"),
    ("member", "membership"), ("tempo", "bpm"), ("downloads", "installs"), ("borrowings", "checkouts"),
    ("imprint", "publisher"), ("creator", "author"), ("filmmaker", "director"), ("actress", "actor"),
    ("tourists", "visitors"), ("referrer", "source"), ("satisfaction", "csat"),
    ("deployments", "deploys"), ("availability", "uptime"), ("ram", "memory"), ("server", "host"),
    ("repository", "repo"), ("species", "animal"), ("ozone", "o3"), ("rubbish", "waste"), ("concentration", "conc"),
    ("respondent", "participant"), ("volts", "voltage"), ("currency", "ccy"), ("diagnosis", "dx"),
    ("borough", "boro"), ("emissions", "ghg"), ("automobile", "car"),
    ("philanthropist", "donor"), ("consignment", "shipment"), ("fraud", "fraudulent"), ("assessor", "adjuster"),
    ("readmission", "readmitted"), ("deaths", "fatalities"), ("injuries", "injured"), ("pharmacy", "chemist"),
    ("embarkation", "embarked"), ("cloudiness", "cloudcover"), ("irrigation", "irrigated"),
    ("renovation", "remodeled"), ("coupon", "voucher"), ("separation", "termination"), ("garbage", "trash"),
])
def test_new_groups_join_one_field(a: str, b: str) -> None:
    assert synonyms(a, b)


# -- phrases: whole, and only where a column holds the word they stand for -----------------------------------

def test_every_phrase_stands_for_a_single_field_word_and_is_no_vocabulary() -> None:
    for phrase, word in PHRASES.items():
        assert len(phrase.split()) in (2, 3), phrase  # the matcher looks at 2- and 3-word spans
        assert word and " " not in word and word == word.lower(), (phrase, word)


@pytest.mark.parametrize(("profile", "question", "term", "column"), [
    (_t("fico", "state:categorical"), "average credit score by state", "credit score", "fico"),
    (_t("credit_score", "fico", "state:categorical"), "average credit score by state", "credit score",
     "credit_score"),
    (_t("worldwide_gross", "revenue", "director:categorical"), "box office by director", "box office", "revenue"),
    (_t("BoxOffice", "revenue", "director:categorical"), "box office by director", "box office", "BoxOffice"),
    (_t("pickup_datetime:temporal", "dropoff_zone:categorical", "fare_amount"),
     "average fare amount by drop off zone", "drop off", "dropoff_zone"),
    (_t("Fare", "Pclass:categorical"), "median ticket price by pclass", "ticket price", "Fare"),
    (_t("price", "room_type:categorical"), "median ticket price by room type", "ticket price", "price"),
    # the whole phrase, not "license" for a licence column and "plate" for the plate
    (_t("plate_id:categorical", "license_type:categorical", "fine_amount"), "total fine amount by license plate",
     "license plate", "plate_id"),
    # the qualifier is part of the phrase, so it is not left over
    (_t("spend", "channel:categorical", "roi"), "total advertising spend by channel", "advertising spend", "spend"),
    (_t("ghg", "sector:categorical"), "total carbon footprint by sector", "carbon footprint", "ghg"),
    (_t("Avg_BPM", "Workout_Type:categorical"), "average heart rate by workout type", "heart rate", "Avg_BPM"),
    (_t("fx_rate", "pair:categorical", "spot_rate"), "average exchange rate by pair", "exchange rate", "fx_rate"),
    # "customer" is part of the phrase, not a customer field the table lacks
    (_t("customer_id:identifier", "satisfaction_score", "region:categorical"),
     "average customer satisfaction by region", "customer satisfaction", "satisfaction_score"),
])
def test_a_phrase_reaches_its_column_unless_a_column_is_spelled_that_way(
        profile: DataProfile, question: str, term: str, column: str) -> None:
    a = analyze_question(question, profile)
    assert a.unmatched == [], (question, a.unmatched)
    assert {m.term: m.column for m in a.mentions}.get(term) == column, (question, a.mentions)


def test_a_phrase_with_no_column_behind_it_leaves_its_words_to_the_other_passes() -> None:
    # "box" is chart vocabulary and "office" no field: with no takings column the phrase names nothing, and a
    # box plot of a real column is still a box plot
    a = analyze_question("box plot of budget by director", _t("budget", "director:categorical"))
    assert a.unmatched == [] and a.mark == "box"
    # "credit score" on a table without a score: the question stays partial, naming what it lacks
    b = analyze_question("average credit score by state", _t("balance", "state:categorical"))
    assert b.unmatched and "credit" in " ".join(b.unmatched)


# -- participles that qualify rows are not made field words ---------------------------------------------------

@pytest.mark.parametrize("word", ["approved", "resolved", "admitted", "released", "adopted", "escalated"])
def test_a_row_qualifying_participle_is_no_field_word(word: str) -> None:
    assert not names_a_field(word)


@pytest.mark.parametrize("question", [
    "admitted cases per ward",
    "titles released per genre",
])
def test_a_row_qualifying_participle_leaves_an_answerable_question_answerable(question: str) -> None:
    t = _t("ward:categorical", "title:categorical", "genre:categorical", "stay_days")
    assert analyze_question(question, t).unmatched == []
