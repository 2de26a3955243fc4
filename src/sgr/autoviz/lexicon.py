"""Words AutoViz knows without looking at the data: synonyms of column words, abbreviations in column
names, and the vocabulary of charts, ordering, formatting and aggregation that never names a field.

Why a small shipped lexicon in the base install: the words that decide a chart are few and domain-bound
("gender" for a `Sex` column, "pay" for `Salary`, "dept" in a column name); a lexicon answers in
microseconds with no download and no model, and every match it makes is explainable in the run log
("gender -> Sex (synonym)"). Broad resources (WordNet synsets, embeddings) also relate words that must not
match here ("country" and "region"; "profit" and "revenue"), which would turn honest "this table has no
profit" answers into silent substitutes. Chart, order and aggregation words never take part in synonym
matching ("area chart" is not the `Region` column, "number of" is not `Quantity`).
"""

from __future__ import annotations

from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: groups of words that name the same kind of field; a question word matches a column whose name holds a
#: word of the same group. Kept tight on purpose: "country" is not "region", "profit" is not "revenue".
SYNONYM_GROUPS: tuple[frozenset[str], ...] = tuple(_words(g) for g in (
    "gender sex",
    "salary pay wage wages earnings compensation",
    "income earnings",
    "revenue turnover",
    "sales revenue takings",
    "price cost fee fare charge",
    "amount amt",
    "quantity qty units unit",
    "age years_old",
    "department dept dep division",
    "category cat type kind genre",
    "type kind category",
    "name",
    "country nation nationality",
    "city town",
    "state province",
    "company firm employer organization organisation org",
    "customer client buyer patron shopper user rider",
    "member patron subscriber membership",
    "employee staff worker emp",
    "product item prod",
    "date day",
    "year yr",
    "month mo",
    "rating score stars grade",
    "score points pts",
    "duration length runtime minutes",
    "distance length km miles",
    "weight mass kg",
    "height tall",
    "temperature temp",
    "number num no nbr",
    "description desc",
    "address addr",
    "location place venue site",
    "team club squad side",
    "player athlete",
    "student pupil learner",
    "teacher instructor professor lecturer tutor",
    "course class subject module",
    "hospital clinic practice surgery",
    "loss losses shrinkage wastage waste spoilage",
    "temperament temper behavior demeanor disposition",
    "doctor physician",
    "patient",
    "status condition",
    "condition health",
    "reviewer critic taster judge",
    "crew deckhands crewmembers",
    "crew gang",
    "method mode channel",
    "payment pay paid",
    "shipping shipment delivery consignment",
    "order purchase",
    "genre category style",
    "population inhabitants residents",
    "capacity seats",
    "airline carrier operator",
    "destination dest",
    "origin source departure",
    "brand make manufacturer",
    "model",
    "owner holder",
    "author writer creator",
    "publisher imprint",
    "director filmmaker",
    "reviews review",
    "votes vote ballots",
    "party",
    "candidate nominee",
    "crop",
    "yield harvest output production",
    "magnitude mag strength",
    "depth",
    "occupation job profession role position function",
    "experience seniority career",
    "tenure",
    "education degree schooling qualification",
    "marital married",
    "region area zone",
    "store shop branch outlet salon",
    "room",
    "guest visitor",
    "nights stay",
    "home host",
    "away visiting visitor guest",
    "value valuation worth",
    "passenger passengers traveller travellers traveler travelers rider",
    "department unit ward",
    # general data vocabulary: words analysts use interchangeably for one field, never across kinds
    "bill invoice charges cost expense expenses",
    "payout settlement reimbursement paid",
    "enrollment enrolment enrolled registrations",
    "visitors visits footfall attendance",
    "attendance crowd spectators audience",
    "stock inventory",
    "warehouse depot storage yard",
    "level difficulty tier grade",
    "drink beverage",
    "show programme program podcast",
    "hotel property lodging",
    "applicants applications",
    "supplier vendor provider",
    "courier carrier shipper",
    "tip tips gratuity",
    "fine fines penalty",
    "consumption usage",
    "conversion converted",
    "upvotes likes helpful",
    "discount markdown",
    "neighborhood neighbourhood district",
    "county district",
    "faculty school",
    "bedrooms beds",
    "mileage odometer",
    "gross takings",
    "maximum ceiling upper",
    "minimum floor lower",
    "school campus academy",
    "precipitation rainfall rain",
    "priority urgency severity importance",
    "status outcome decision verdict",
    "streams listens",
    "campaign fundraiser appeal",
    "cuisine food",
    "crop plant",
    "site building facility premises establishment",
    "nationality citizenship",
    "salary remuneration payroll",
    "margin markup",
    "opponent rival",
    "venue stadium arena ground",
    "vehicle car automobile",
    "platform os device",
    # -- by domain: each group names one field as people in that trade say it; a word that means a different
    # quantity somewhere else stays out ("turnover" is revenue to a shop and attrition to HR, so it joins
    # neither "attrition" nor "churn"; "power" is electricity to a household but not energy to an engineer)
    # dates and times
    "date day timestamp datetime",
    # retail and e-commerce
    "product item prod sku",
    "revenue turnover proceeds",
    "spend spent spending expenditure expenditures outlay outlays",
    "refund refunds refunded chargeback chargebacks",
    "basket cart",
    "seller merchant retailer vendor",
    # finance and banking
    "account acct",
    "transaction txn",
    "borrower debtor",
    "lender creditor",
    "ticker symbol",
    "sector industry",
    "tax taxes levy",
    # HR
    "employee staff worker emp personnel staffer",
    "salary paycheck",
    "bonus incentive",
    "manager supervisor boss",
    "hire hired hiring joining onboarding",
    "attrition churn",
    "absence absences absenteeism",
    "ethnicity ethnic",
    # education
    "teacher educator",
    "score points pts marks",
    "exam exams test tests examination assessment",
    "tuition fee fees",
    "scholarship bursary",
    "major specialization specialisation",
    "semester term trimester",
    # health
    "doctor physician clinician",
    "diagnosis disease illness ailment",
    "medication medicine drug meds",
    "treatment therapy",
    "insurer payer underwriter",
    "vaccine vaccination immunization immunisation",
    "smoker smoking",
    "height stature",
    # sports
    "match fixture game bout",
    "coach trainer",
    "wins victories",
    "losses defeats",
    "league competition tournament",
    # weather and energy
    "snowfall snow",
    "electricity electric energy",
    "electricity electric power",
    "emissions emission carbon co2",
    # transport and travel
    "trip journey ride",
    "delay delays lateness tardiness",
    "fuel petrol gasoline",
    "speed velocity",
    "booking reservation",
    "accommodation lodging",
    "harbour harbor port",
    "tyre tire",
    # real estate
    "bathrooms baths",
    "property house dwelling residence",
    "owner landlord",
    "tenant renter lessee occupant",
    "rent rental",
    "neighborhood neighbourhood suburb",
    "agent realtor",
    "zip zipcode postcode postal",
    # media and streaming
    "streams listens plays",
    "viewers viewership",
    "subscriber follower",
    "artist musician performer singer",
    "song track tune",
    # charity
    "donation gift contribution",
    "donor giver benefactor contributor philanthropist",
    "beneficiary recipient grantee",
    # government and public services
    "agency bureau",
    "constituency riding",
    "license licence permit",
    "crime offence offense",
    "complaints complaint grievances grievance",
    # -- a second domain pass, field by field as the trade names it. Participles that qualify rows rather
    # than name a field ("approved loans", "admitted cases", "titles released", "books published") stay out: as
    # group words they would turn an answerable question about the rows into a missing field; a phrase
    # ("publication year" -> published) still reaches a column named by the participle
    # HR
    "termination separation",
    # education
    "math maths mathematics",
    # retail and e-commerce
    "postage shipping",
    "promotion promo",
    "coupon voucher",
    # payments and banking
    "fraud fraudulent",
    # insurance ("deductable" is how a well-known claims table spells it; "excess" is the British word)
    "deductible deductable excess",
    "insurance coverage insurer",
    "adjuster assessor",
    # hospitals, clinics and labs
    "readmission readmissions readmitted",
    "hemoglobin haemoglobin",
    "fatalities deaths killed",
    "injuries injured",
    "pulse bpm",
    # pharmacy
    "prescription prescriptions rx",
    "dose dosage",
    "pharmacy drugstore chemist",
    "assay test",
    "copay copayment",
    # hotels and short-term rentals
    "cancellation cancellations cancelled canceled",
    # restaurant inspections, parking and building codes
    "violation violations infraction infractions",
    "fine fines penalty penalties fee",
    "borough district ward",
    # airlines and airports
    "aircraft airplane aeroplane",
    "embarked embarkation",
    # public transport (not "ship": it stems with "shipping")
    "station stop",
    "ridership patronage",
    "vessel boat",
    # bike and scooter share
    "bike bicycle",
    # logistics
    "freight cargo",
    # manufacturing and quality control
    "defect defects fault faults flaw flaws",
    "throughput output",
    "downtime outage outages",
    "machine equipment",
    # energy, utilities, EV charging and solar; a charging session and a web session are both "sessions"
    "solar photovoltaic pv",
    "irradiance irradiation insolation",
    "session sessions visit",
    "plug connector socket",
    # weather
    "cloudiness cloudcover cloud",
    # agriculture
    "acreage acres hectares",
    "fertilizer fertiliser",
    "irrigation irrigated",
    # real estate and building permits
    "renovation renovated remodel remodeled remodelled",
    "storeys stories floors",
    # team sports
    "draws ties",
    "matchday matchweek gameweek",
    "referee umpire",
    # gyms and fitness
    "workout workouts exercise",
    # music and apps
    "tempo bpm",
    "installs downloads",
    # publishing and libraries
    "checkouts borrowings",
    # cinema, theatre and live events
    "actor actress",
    # museums and tourism
    "tourist tourists visitor",
    # (not "exhibition exhibit": on a table of exhibitions the word names the rows, and the group sent it to an
    # `Exhibit Type` column, making "how many exhibitions per museum" a chart coloured by type)
    # marketing and web analytics
    "referrer source",
    # customer support
    "satisfaction csat",
    # software and devops
    "deployment deployments deploy deploys",
    "uptime availability",
    "memory ram",
    "server host",
    # animal shelters
    "species animal pet",
    # environment and air quality
    "ozone o3",
    "waste garbage trash rubbish",
    # scientific experiments and surveys
    "participant participants respondent respondents",
    "voltage volts",
    # hair and beauty salons
    "stylist hairdresser hairstylist barber",
    # bakeries: dough is left to prove (the proof time)
    "proof proofing prove proving",
    # printing: the paper a job runs on
    "stock substrate",
    # haulage and waste: the weight carried
    "tonnage tonnes tonne tons",
    # arboriculture
    "canopy crown",
    # spelling variants
    "programme program",
    "centre center",
    "theatre theater",
    "catalogue catalog",
    "labour labor",
    "defence defense",
    "favourite favorite",
))

#: phrases people say for a field whose column name shares none of their words ("class year" for
#: `grade_level`, "price per night" for `Rate`) -> the one word they stand for, which then matches columns
#: like any question word (exactly, through SYNONYM_GROUPS, or as a spelled-out abbreviation). Why phrases and
#: not more single words: "class" alone also means a course and "night" a date part; only the whole phrase is
#: unambiguous. Each entry is a fixed multi-word expression, matched whole (any inflection of its last word).
PHRASES: dict[str, str] = {
    "class year": "grade", "school year": "grade", "year group": "grade",
    "price per night": "rate", "nightly rate": "rate", "nightly price": "rate", "room rate": "rate",
    "daily rate": "rate", "hourly rate": "rate", "rate per hour": "rate",
    "take home pay": "salary", "annual pay": "salary", "base pay": "salary",
    "date of birth": "birth", "birth date": "birth",
    "zip code": "zip", "postal code": "zip", "post code": "zip",
    "home town": "city",
    "time spent": "duration", "time taken": "duration", "elapsed time": "duration",
    "years of experience": "experience", "work experience": "experience",
    "years of service": "tenure", "length of service": "tenure",
    # retail and logistics: where a sale was made, who carried the goods
    "point of sale": "channel", "sales channel": "channel", "shipping line": "carrier", "shipping company": "carrier",
    "miles per gallon": "mpg", "fuel economy": "mpg", "fuel efficiency": "mpg",
    "blood pressure": "bp", "closing price": "close", "opening price": "open", "trading volume": "volume",
    "order value": "amount", "order total": "amount", "basket value": "amount", "cart value": "amount",
    "transaction value": "amount", "purchase amount": "amount",
    "units sold": "quantity", "items sold": "quantity", "quantity sold": "quantity",
    "sale price": "price", "selling price": "price", "list price": "price", "asking price": "price",
    "sticker price": "price", "retail price": "price",
    "sign up date": "signup", "signup date": "signup", "join date": "joined", "date joined": "joined",
    "place of birth": "birthplace", "country of origin": "origin",
    # HR
    "date of hire": "hire", "leaving date": "termination",
    "sick days": "absence", "sick leave": "absence", "days absent": "absence",
    # education
    "grade point average": "gpa",
    # retail, publishing
    "average order value": "aov", "gross merchandise value": "gmv", "copies sold": "quantity",
    # banking and lending
    "annual percentage rate": "apr", "credit score": "fico", "debt to income": "dti", "exchange rate": "fx",
    # health and fitness ("bpm" is how gym and wearable tables name heart rate)
    "length of stay": "stay", "body mass index": "bmi", "heart rate": "bpm", "pulse rate": "bpm",
    "beats per minute": "bpm",
    "blood sugar": "glucose", "blood glucose": "glucose", "turnaround time": "turnaround",
    # hotels, airlines, taxis
    "average daily rate": "adr", "ticket price": "fare", "ticket cost": "fare",
    "pick up": "pickup", "drop off": "dropoff",
    # real estate
    "square footage": "sqft", "square feet": "sqft", "board feet": "fbm", "board foot": "fbm",
    "construction year": "built", "year of construction": "built",
    # elections, policing and parking
    "registered voters": "electorate", "license plate": "plate", "licence plate": "plate", "number plate": "plate",
    # sports
    "expected goals": "xg",
    # publishing
    "publication year": "published", "publication date": "published",
    # travel and hospitality: the people on one booking
    "party size": "passengers", "group size": "passengers",
    # cinema and live events: the takings, whether a column says gross or revenue
    "box office": "takings",
    # marketing and web analytics
    "click through rate": "ctr", "clickthrough rate": "ctr", "cost per click": "cpc", "cost per acquisition": "cpa",
    "return on investment": "roi", "ad spend": "spend", "advertising spend": "spend", "media spend": "spend",
    "time on site": "duration", "time on page": "duration", "dwell time": "duration",
    # customer support, telecom, devops
    "customer satisfaction": "csat", "handle time": "aht", "handling time": "aht", "average handle time": "aht",
    "revenue per user": "arpu",
    "response time": "latency",
    # energy, weather, environment
    "greenhouse gas": "emissions", "carbon footprint": "emissions", "solar radiation": "irradiance",
    "feels like": "apparent", "air quality": "aqi", "air quality index": "aqi",
    "nitrogen dioxide": "no2", "sulfur dioxide": "so2", "sulphur dioxide": "so2",
}

#: broader words that name a field by its kind ("location" for a `State` column, "institution" for `Museum`):
#: a class word names a column whose name holds one of its members, and only when exactly one column of the
#: table does (with a `City` and a `Country` column, "location" stays ambiguous and is not guessed)
CLASS_WORDS: dict[str, frozenset[str]] = {
    w: _words(members) for ws, members in (
        ("location place geography locality whereabouts origin provenance",
         "country nation state province region county district city town municipality neighborhood "
         "neighbourhood area zone location place site venue address territory"),
        ("institution establishment organisation organization",
         "museum school college university hospital clinic bank library gallery theater theatre"),
        ("vehicle", "car truck bike bicycle motorcycle van bus"),
        ("facility premises building venue", "site venue stadium arena hall museum store shop branch warehouse"),
        ("plant", "crop"),
        ("machine equipment", "press lathe loom kiln oven mixer printer crane forklift headrig"),
        ("food dish", "cuisine"),
    ) for w in ws.split()
}

#: abbreviations as they appear in column names -> the word people say
ABBREVIATIONS: dict[str, str] = {
    "amt": "amount", "qty": "quantity", "dept": "department", "emp": "employee",
    "cust": "customer", "prod": "product", "cat": "category", "desc": "description", "num": "number",
    "no": "number", "nbr": "number", "yr": "year", "mo": "month", "temp": "temperature", "avg": "average",
    "pct": "percent", "perc": "percent", "addr": "address", "dob": "birth", "mgr": "manager", "mfr": "manufacturer",
    "pts": "points", "dest": "destination", "dist": "distance", "dur": "duration", "rev": "revenue",
    "tot": "total", "cnt": "count", "sal": "salary", "hrs": "hours", "max": "maximum",
    "std": "student", "stu": "student", "loc": "location", "org": "organization", "co": "company",
    "acct": "account", "txn": "transaction", "bal": "balance", "ctry": "country", "cnty": "county",
    "mgmt": "management", "govt": "government", "precip": "precipitation", "elev": "elevation",
    "hosp": "hospital", "wt": "weight", "mkt": "market", "mktg": "marketing", "edu": "education",
    "vol": "volume", "mins": "minutes", "secs": "seconds", "pmt": "payment", "lvl": "level", "bkg": "booking",
    # domain pass: each spelled-out word is the only reading in column names of its trade ("tat_hours",
    # "loan_amnt", "ccy", "chol", "hgb", "pax", "prcp", "rh", "YearRemodAdd", "conc", "reb"); "est" (estimated or
    # established) and "appr" (approval or appraisal) stay out, and the consonant rule already reads them both ways
    "amnt": "amount", "ccy": "currency", "chol": "cholesterol", "hgb": "hemoglobin", "tat": "turnaround",
    "diag": "diagnosis", "dx": "diagnosis", "boro": "borough", "insp": "inspection", "pax": "passengers",
    "prcp": "precipitation", "rh": "humidity", "remod": "remodel", "ghg": "emissions", "repo": "repository",
    "conc": "concentration", "reb": "rebounds", "abv": "alcohol",
    # spellings of one word: a weighbridge's "nett weight" is its `Net` column
    "nett": "net",
}

#: abbreviations with more than one reading in column names, each tried in turn: `min_temp` is a minimum but
#: `delay_min` is minutes; `dep_id` is a department but `dep_delay` a departure
READINGS: dict[str, tuple[str, ...]] = {"min": ("minimum", "minutes"), "dep": ("department", "departure"),
                                        # a unit in a column name also says what it measures: `kWh_Delivered` is
                                        # the energy, `weight_kg` a weight, `trip_km` a distance
                                        **{u: (u, "energy") for u in ("kwh", "mwh", "gwh", "wh")},
                                        **{u: (u, "power") for u in ("kw", "mw", "gw")},
                                        **{u: (u, "weight") for u in ("kg", "lb", "lbs")},
                                        **{u: (u, "distance") for u in ("km", "mi")}}

#: inflections the stemmer folds onto a synonym-group word of another sense: they keep their own stem for
#: spelling matches but join no group ("charging time" on an EV table is no price, though "charge" is)
APART_FROM_GROUP: frozenset[str] = frozenset({"charging"})

#: unit suffixes of column names ("rainfall_mm", "price_usd"): they say how a field is measured, never which
UNITS: frozenset[str] = _words("mm cm km m kg g lb lbs kwh kw mw mb gb kb usd eur gbp bpm sec ms ha pct mph kmh "
                               "kcal mwh gwh btu psi rpm kph ppm sqft sqm cad aud jpy inr chf cny")

#: words about the chart itself, its look and its order: never a field the data lacks
CHART_VOCAB: frozenset[str] = _words(
    """chart charts graph graphs plot plots plotted plotting diagram figure visual visualization visualisation
    visualize visualise visualized draw drawn drawing render display displayed depict illustrate
    bar bars column columns barchart barplot line lines linechart area areas pie pies donut doughnut slice
    slices scatter scatterplot scatterchart point points dot dots bubble histogram histograms box boxplot
    whisker whiskers heatmap heat map grid stacked stack stacks grouped group groups cluster clustered
    side legend axis axes x y horizontal vertical color colour colors colours colored coloured colouring
    coloring shade shaded hue split splitting broken breakdown separate separated series
    label labels labeled labelled title titled bin binned bins binning bucket buckets bucketed interval
    intervals sort sorted sorting order ordered ordering arrange arranged arranging rank ranked ranking
    list listed listing asc ascending desc descending increasing decreasing alphabetical alphabetically
    alphabetic lexicographic reverse reversed high higher highest low lower lowest top bottom first last
    largest smallest biggest greatest least big small large descend ascend from to return returns give
    show shows showing present presenting find finding compute calculate computed calculated please
    thanks kindly using use via format formatted way style view proportion proportions percentage
    percentages percent share shares fraction fractions ratio distribution distributions distributed frequency
    frequencies trend trends
    trendline compare compared comparing comparison versus vs respective respectively corresponding
    different differ various every each all whole entire overall total totals sum sums summed average
    averages averaged mean means median medians minimum minimal minimum maximum maximal max min count
    counts counted number numbers amount amounts how many much quantity value values unique distinct
    individual separately together along against relation relationship correlation correlate between
    weekday weekdays weekly daily monthly yearly annually annual quarterly hourly day days week weeks
    month months year years quarter quarters hour hours date dates time times period periods dow
    record records row rows entry entries item items instance instances case cases observation
    observations sample samples data dataset table information info details detail attribute attributes
    field fields kind kinds type types category categories
    layer layers layered facet facets faceted panel panels subplot subplots trace traces wedge wedges
    tile tiles marker markers band bands stripe stripes ribbon ribbons
    tally tallies tallied mix mixes typical usual calendar"""
)

#: everyday words that sit where a field could be ("the *current* price") and never name one
FILLER: frozenset[str] = _words(
    """also just only still even really actually approximately roughly around about nearly almost exactly
    there here now then currently current recent recently new old latest earliest past previous next
    following given certain specific particular respective whose who which what when where that this
    those these such other another same own some any few several many more most less fewer
    well good bad better worse best worst great poor high low long short full empty open closed
    across among within without beyond above below under over after before during since until per
    including include includes included excluding exclude excludes except other than apart aside
    being having getting making doing going coming taking look looks looking see seen tell know
    need needs want wants like would could should might must may can will shall does did done
    answer question questions help helps me my mine you your we our us they their them it its
    one two three four five six seven eight nine ten twelve fifteen twenty hundred thousand million
    zero single double half quarter dozen
    greater bigger larger smaller fewer exceed exceeds exceeded exceeding equal equals equalling
    beat beats beating outdo outdoes topping short
    restrict restricted restricting limit limited limiting filter filtered filtering skip skipped skipping
    keep keeping omit omitted hand leave leaving ignore ignored ignoring only solely just
    fall falls fell falling belong belongs belonging lie lies lying occur occurs occurred happen happens
    happened tend tends tended go goes went gone come comes came fit fits sit sits stand stands appear
    appears seem seems get gets got told
    overall basis somewhere anywhere"""
)

#: the language of charts and analysis, concept by concept, as analysts and everyday askers say it. How a word
#: gets in: a word that can name a column goes to pass 1 first, so a column spelled like it (`Spread`,
#: `spreads`) is still matched; but a vocabulary word takes no part in synonym or fuzzy matching (a `bid_spread`
#: column is not found from "spread" alone), and a field the table truly lacks is never reported when it is
#: a vocabulary word. So a word is here only when its chart or analysis sense is what people mean almost
#: every time; a word that is an ordinary column somewhere (see `KEPT_OUT`), or whose stem is one ("earned"
#: stems to the stem of "earnings", "weighted" to "weight"), stays out.
CONCEPT_VOCAB: dict[str, frozenset[str]] = {k: _words(v) for k, v in {
    "counting": "occurrence occurrences enumerate enumerated enumeration often",
    "totals": """aggregate aggregated aggregates aggregating aggregation combined altogether grand subtotal
        subtotals cumulative cumulatively cumulated accumulated summation summarize summarise summarized
        summarised summarizing summarising""",
    "averages": "middle midpoint arithmetic tendency capita apiece",
    "shares": """makeup composition portion portions chunk chunks proportional proportionally majority contribute
        contributes contributed contributing represent represents represented comprise comprises comprised
        constitute constitutes consist consists""",
    "spread": """spread spreads dispersion dispersed variability variation variations vary varies varied varying
        deviation deviations stdev stddev quartile quartiles quantile quantiles decile deciles interquartile
        iqr skew skewed skewness extreme extremes fluctuation fluctuations fluctuate fluctuates fluctuating""",
    "change over time": """progression trajectory evolve evolves evolved evolving historical historically
        chronology uptrend downtrend upward upwards downward downwards rise rises rising rose risen grow grows
        growing grew grown dip dips dipped soar soared soaring plunge plunged plunging plummet plummeted
        decline declines declined declining""",
    "ranking": """leaderboard leaderboards rankings podium topmost bottommost fewest popular common commonest rarest
        frequent frequently bestselling busiest quietest slowest fastest cheapest priciest costliest dearest
        longest shortest heaviest lightest oldest youngest newest hottest coldest warmest coolest wettest
        driest tallest richest poorest strongest weakest safest riskiest""",
    "comparison": "juxtapose juxtaposed juxtaposition alongside beside gap gaps",
    "chart parts": """strip strips arc arcs curve curves spline sparkline sparklines gridline gridlines tick ticks
        caption captions annotation annotations annotate annotated tooltip tooltips subtitle inset glyph glyphs
        swatch swatches dashboard infographic matrix treemap sunburst waterfall violin violins ridgeline lollipop
        dumbbell choropleth candlestick sankey streamgraph hexbin kde mosaic crosstab crosstabs pareto""",
    "look": """tint tints tinted palette palettes hues colorful colourful highlight highlighted highlighting
        emphasize emphasise emphasized emphasised bold bolded dashed dotted opacity transparent translucent
        font fonts fontsize readable legible monochrome grayscale greyscale colorblind aesthetic neat tidy
        fancy simple simpler plain sleek nice pretty""",
    "sorting and grouping": """chronological chronologically numeric numerical numerically reorder reordered
        rearrange rearranged organise organize organised organized organising organizing categorize categorise
        categorized categorised categorizing categorising classify classified classifying bucketize bucketized
        tabulate tabulated tabulation disaggregate disaggregated disaggregation stratify stratified""",
    "time grain": """fiscal decade decades ytd mtd qtd yoy qoq annualized annualised annualize annualise wise
        timeframe timeframes timespan seasonal biweekly fortnight fortnights fortnightly semiannual biannual
        intraday""",
    "politeness and filler": """pls plz thank thx cheers hi hello hey ok okay alright sure maybe perhaps possibly
        ideally preferably somehow anyway anyhow literally honestly basically simply quick quickly rough brief
        briefly asap btw fyi wonder wondering curious mind able possible wish hope hoping appreciate
        appreciated grateful wanna gonna gotta gimme lemme sorry quite rather fairly somewhat slightly idea
        sense gist glance snapshot whatever whichever either neither etc ask asked according regarding
        concerning""",
    "verbs of showing": """sketch sketched eyeball eyeballing portray portrayed showcase showcased outline outlined
        shown generate generated prepare prepared fetch grab provide put lay laid breakout summarize analyze
        analyse analyzed analysed analysis analyses analyzing analysing examine explore inspect investigate
        assess evaluate quantify peek understand identify determine reveal uncover brought bring took taken""",
}.items()}

#: nouns that name a field in common tables, beyond those of the synonym groups: before a chart word they are
#: the field that word is about ("the profit spread by region", "customer age varies across channels"), so a
#: table without them is told so; an adjective there ("a complete breakdown by region") is not one of them
COMMON_FIELDS: frozenset[str] = _words(
    """profit profits margin margins revenue income cost costs price prices sales spend budget discount tax
    salary wage bonus age gender height weight temperature humidity rainfall pressure wind speed distance duration
    delay rating review reviews satisfaction churn retention conversion clicks impressions followers views likes
    shares comments downloads installs signups subscribers customers customer users user employees employee
    students student patients patient players player members member visitors guests passengers donors
    product products brand category country region city state county district zone store branch warehouse
    supplier vendor carrier airline route department team school hospital course grade tier plan channel source
    inventory stock units quantity orders order returns refunds claims premium deductible balance debt loan
    interest dividend yield volume emissions consumption energy electricity fuel mileage horsepower population
    density elevation depth magnitude goals points assists wins losses attendance enrollment headcount turnover
    attrition tenure experience occupation education segment sector industry score""")


def names_a_field(word: str) -> bool:
    """Whether a word is a known field noun (any inflection): a synonym-group word, a class word or member, or
    a common field noun; never a vocabulary word."""
    w = word.lower()
    return not is_vocab(w) and any(_stem(r) in _field_stems() for r in readings(w))


@lru_cache(maxsize=1)
def _field_stems() -> frozenset[str]:
    words = (frozenset().union(*SYNONYM_GROUPS) | frozenset().union(*CLASS_WORDS.values()) | frozenset(CLASS_WORDS)
             | COMMON_FIELDS)
    return frozenset(_stem(w) for w in words if "_" not in w)


#: words people also use about charts that stay out of the vocabulary because they name real columns in
#: common tables (the reason for each): a missing one must still be reported, and a compound column holding
#: one (`trade_volume`, `customer_segment`) must still be found from the bare word
KEPT_OUT: dict[str, str] = {
    "headcount": "a column of HR and event summaries (`Headcount`, `Head_Count`): a vocabulary word would not "
                 "reach `Head_Count` by spelling and would hide a headcount the table lacks",
    "volume": "trading, call-centre and sales volume are columns",
    "segment": "customer or market segment is a column",
    "sector": "industry sector is a column",
    "balance": "an account balance is a column",
    "level": "battery, education, difficulty level are columns",
    "score": "a test or credit score is a column",
    "rate": "interest, click-through, heart rate are columns",
    "size": "household, order, shoe size are columns",
    "range": "price range and age range are columns, and an electric car's range",
    "variance": "a budget variance is a column",
    "volatility": "a stock's volatility is a column",
    "percentile": "a test-score percentile is a column",
    "prevalence": "disease prevalence is a column",
    "incidence": "disease incidence is a column",
    "popularity": "a track's or product's popularity is a column",
    "contribution": "a pension or campaign contribution is a column (a synonym of donation instead)",
    "allocation": "a budget allocation is a column",
    "drop": "'drop_off' is a taxi column",
    "shrink": "retail shrink (inventory loss) is a column",
    "surge": "ride-hailing surge pricing is a column",
    "shift": "a work shift is a column",
    "season": "a sports season or growing season is a column",
    "semester": "an education column",
    "term": "an education column",
    "weekend": "`is_weekend` is a column",
    "minutes": "minutes played or talked is a column",
    "course": "an education column ('over the course of' names no field but needs no entry)",
    "running": "'running time' is a film's runtime",
    "leading": "stems to 'lead', a sales-lead column",
    "placing": "stems to 'place', a location column",
    "interested": "stems to 'interest', a finance column",
    "earned": "stems to 'earn', as 'earnings' does",
    "weighted": "stems to 'weight'",
    "booked": "stems to 'book', as 'bookings' does",
    "coded": "stems to 'cod', as 'code' does",
    "indexed": "stems to 'index', as 'uv index' does",
    "measured": "stems to 'measur', as 'measure' does",
    "based": "stems to 'bas', as 'base salary' does",
    "created": "`created_at` is a column",
    "reported": "`reported_by` is a column",
    "tone": "sentiment tone is a column",
    "scheme": "a pension or colour scheme: the first is a column",
    "gradient": "a road or terrain gradient is a column",
    "density": "population density is a column",
    "saturation": "oxygen saturation is a column",
    "symbol": "a stock symbol is a column",
    "cell": "a cell type or cell id is a column",
    "track": "a music track or race track is a column",
    "funnel": "a sales-funnel stage is a column, and 'funnel stage' must still be reported when missing",
    "gauge": "a rain gauge is a column",
    "study": "a clinical study is a column",
    "spot": "a spot price or parking spot is a column",
    "surface": "a court or road surface is a column",
    "watch": "watch time is a column",
    "lot": "an auction or production lot is a column",
    "story": "a building's stories are a column",
    "block": "a city block is a column",
    "frame": "a video frame is a column",
    "sequence": "a sequence number is a column",
    "development": "a development stage is a column",
    "estimate": "an estimated cost is a column",
    "measure": "a long-format `measure` column",
    "variant": "a product variant is a column",
    "peak": "a mountain peak and peak demand are columns (the question reader still takes 'peak' as max)",
    "feel": "stems 'feels', as the weather column `feels_like` does",
    "pop": "a music genre, so not an abbreviation of population either",
    "selling": "a selling price is a column",
}

VOCAB: frozenset[str] = CHART_VOCAB | FILLER | frozenset().union(*CONCEPT_VOCAB.values())


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    from sgr.autoviz.columns import stem

    return stem(word)


@lru_cache(maxsize=1)
def _group_index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for i, group in enumerate(SYNONYM_GROUPS):
        for w in group:
            index.setdefault(_stem(w), set()).add(i)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _phrase_index() -> dict[tuple[str, ...], str]:
    return {tuple(_stem(w) for w in phrase.split()): word for phrase, word in PHRASES.items()}


def phrase_word(words: tuple[str, ...]) -> str | None:
    """The field word a whole phrase stands for ("class", "year" -> "grade"), or None when it is no phrase."""
    return _phrase_index().get(tuple(_stem(w) for w in words))


def readings(word: str) -> tuple[str, ...]:
    """Every spelled-out reading of a column-name part ("dept" -> department; "min" -> minimum, minutes); the
    word itself when it abbreviates nothing."""
    w = word.lower()
    return READINGS.get(w) or (ABBREVIATIONS.get(w, w),)


def groups_of(word: str) -> frozenset[int]:
    """The synonym groups a word (any inflection, any reading) belongs to."""
    if word.lower() in APART_FROM_GROUP:
        return frozenset()
    index = _group_index()
    return frozenset().union(*(index.get(_stem(r), frozenset()) for r in readings(word)))


def synonyms(a: str, b: str) -> bool:
    """Whether two single words name the same kind of field (same stem or verb root, spelled-out abbreviation,
    or group)."""
    ra, rb = readings(a), readings(b)
    return bool({_stem(r) for r in ra} & {_stem(r) for r in rb}) or bool(groups_of(a) & groups_of(b)) or bool(
        {_root(r) for r in ra} & {_root(r) for r in rb} - {None})


#: noun endings made from a verb: "approval" is what `Days_To_Approve` counts, "arrival" what `arrive_time` holds
_NOUN_OF_VERB = ("ation", "ition", "ance", "ence", "ure", "al")
#: agent nouns made from a verb of 7+ letters, long enough to be told apart: a `FERMENTER` column holds what
#: "fermentation" names; "reviewer" is no `review_date` and "printer", "driver" stay themselves
_AGENT_OF_VERB = ("er", "or")


@lru_cache(maxsize=4096)
def _root(word: str) -> str | None:
    """The verb a noun is made from ("approval" -> approv, "departure" -> depart, "attendance" -> attend), and
    the word's own stem otherwise; None when the root would be too short to tell words apart ("rental",
    "signal": rent and sign name other things)."""
    w = word.lower()
    for end in _NOUN_OF_VERB:
        if w.endswith(end) and len(w) - len(end) >= 5:
            return _stem(w[:-len(end)] + "e")
    for end in _AGENT_OF_VERB:
        if w.endswith(end) and len(w) - len(end) >= 7:
            return _stem(w[:-len(end)] + "e")
    return _stem(w) if len(w) >= 5 else None


def class_members(word: str) -> frozenset[str]:
    """Column-name words that a broader word can name ("location" -> state, city, ...); empty for most words."""
    w = word.lower()
    return CLASS_WORDS.get(w) or CLASS_WORDS.get(_stem(w)) or frozenset()


def abbreviates(part: str, word: str) -> bool:
    """Whether a short column-name part is a consonant abbreviation of a spelled-out word: it starts with the
    word's first letter, its other letters are consonants, and they appear in order in the word ("sq" for
    square, "ft" for footage, "qty" for quantity, "hrs" for hours). A part with a vowel inside ("age") is a
    word of its own, not an abbreviation, so "average" never becomes an `age` column."""
    p, w = part.lower(), word.lower()
    if p in ABBREVIATIONS or p in READINGS or p in UNITS:
        return False  # "pct" is percent and "mm" millimetres, never "precipitation" or "maximum"
    if not (2 <= len(p) <= 4 and p.isalpha() and w.isalpha()) or len(w) < len(p) + 2 or p[0] != w[0]:
        return False
    if any(ch in "aeiouy" for ch in p[1:]):
        return False
    rest = iter(w[1:])
    return all(ch in rest for ch in p[1:])


def is_vocab(word: str) -> bool:
    """True for chart, order, format, aggregation and filler words (any inflection).

    A word a synonym group lists as a field is vocabulary only when the vocabulary lists it too: the stemmer
    folds "site" onto "sit" and "likes" onto "like", which must not make the `site` or `likes` field a word
    about the chart."""
    w = word.lower()
    return w in VOCAB or (_stem(w) in _vocab_stems() and w not in _field_words())


@lru_cache(maxsize=1)
def _field_words() -> frozenset[str]:
    return frozenset().union(*SYNONYM_GROUPS)


@lru_cache(maxsize=1)
def _vocab_stems() -> frozenset[str]:
    return frozenset(_stem(w) for w in VOCAB)
