"""Table specs and a deterministic CSV writer for the AutoViz phrasing corpus.

Why: phrasing robustness can only be measured on many small tables from different domains, with the
naming styles real files have (snake_case, CamelCase, Title Case, UPPER, abbreviations) and with the
words people use instead of column names. Every table is generated from a fixed per-table seed, so the
same corpus comes out on every machine.
"""

from __future__ import annotations

import csv
import random
import re
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

__all__ = ["TABLES", "ColumnSpec", "TableSpec", "generate_rows", "humanize", "pluralize", "table", "write_tables"]

Kind = Literal["category", "measure", "date", "id", "flag"]
#: "fresh4" / "fresh5" / "fresh6" / "fresh7" / "fresh8" / "fresh9" mark a table added for that round: no split
#: older than that round asks about it, so adding it moved no older case (fresh5 asks about fresh4 tables too,
#: fresh6 about fresh4 and fresh5 ones, fresh7 about all three, fresh8 about all four, fresh9 about all five;
#: nothing older asks about fresh9 ones)
Split = Literal["tune", "heldout", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9"]


def humanize(name: str) -> str:
    """The lower-cased, spaced form people type for a column name: `Shipping_Method` -> 'shipping method'."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    text = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    text = re.sub(r"[_\s]+", " ", text)
    return text.strip().lower()


def pluralize(phrase: str) -> str:
    """English plural of the last word of a phrase, good enough for column phrases."""
    head, _, last = phrase.rpartition(" ")
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", last):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its kind, the words people use for it, and how its values are generated."""

    name: str
    kind: Kind
    synonyms: tuple[str, ...] = ()
    phrase: str = ""
    plural: str = ""
    values: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    low: float = 0.0
    high: float = 0.0
    mode: float | None = None
    decimals: int = 0
    step: float = 1.0
    additive: bool = True
    by: str = ""
    factors: tuple[float, ...] = ()
    derive: str = ""
    ratio: tuple[float, float] = (1.0, 1.0)
    zero_rate: float = 0.0
    choices: tuple[float, ...] = ()
    start_year: int = 2021
    years: int = 1
    id_format: str = "{}"
    id_start: int = 1
    adjective: str = ""
    p_true: float = 0.3
    ordinal: bool = False

    @property
    def words(self) -> str:
        """The lower-cased spaced form of the name (or a hand-written one where that reads badly)."""
        return self.phrase or humanize(self.name)

    @property
    def words_plural(self) -> str:
        """Plural of `words`, for 'top 5 departments'."""
        return self.plural or pluralize(self.words)


@dataclass(frozen=True)
class TableSpec:
    """One table: its file stem, the noun for its rows, its columns, split and the terms it lacks.

    `missing_measures` / `missing_dims` are things a person might ask about that this table truly does
    not have and that no column or synonym covers; unanswerable questions are built from them.
    `split` is "tune" or "heldout" for the tables the first pass builds on, or "fresh4" / "fresh5" / "fresh6" /
    "fresh7" / "fresh8" / "fresh9" for a table that was appended for that round and that no older split asks
    about.
    """

    stem: str
    noun: str
    plural: str
    rows: int
    columns: tuple[ColumnSpec, ...]
    split: Split = "tune"
    missing_measures: tuple[str, ...] = ()
    missing_dims: tuple[str, ...] = ()

    @property
    def seed(self) -> int:
        """Per-table seed, derived from the stem so that reordering TABLES changes nothing."""
        return zlib.crc32(self.stem.encode("utf-8"))

    def column(self, name: str) -> ColumnSpec:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def of_kind(self, kind: Kind) -> list[ColumnSpec]:
        return [c for c in self.columns if c.kind == kind]

    @property
    def date(self) -> ColumnSpec | None:
        dates = self.of_kind("date")
        return dates[0] if dates else None


def cat(
    name: str,
    values: tuple[str, ...],
    *synonyms: str,
    weights: tuple[float, ...] = (),
    phrase: str = "",
    plural: str = "",
    ordinal: bool = False,
) -> ColumnSpec:
    """A categorical column with 2-12 realistic string values; `ordinal` when they have a natural order."""
    return ColumnSpec(name, "category", synonyms, phrase, plural, values=values, weights=weights, ordinal=ordinal)


def num(
    name: str,
    low: float,
    high: float,
    *synonyms: str,
    mode: float | None = None,
    decimals: int = 0,
    step: float = 1.0,
    additive: bool = True,
    by: str = "",
    factors: tuple[float, ...] = (),
    derive: str = "",
    ratio: tuple[float, float] = (1.0, 1.0),
    zero_rate: float = 0.0,
    choices: tuple[float, ...] = (),
    phrase: str = "",
) -> ColumnSpec:
    """A numeric measure. `additive` says whether a total makes sense (amounts yes, temperatures no)."""
    return ColumnSpec(
        name,
        "measure",
        synonyms,
        phrase,
        low=low,
        high=high,
        mode=mode,
        decimals=decimals,
        step=step,
        additive=additive,
        by=by,
        factors=factors,
        derive=derive,
        ratio=ratio,
        zero_rate=zero_rate,
        choices=choices,
    )


def day(name: str, start_year: int, years: int, *synonyms: str, phrase: str = "") -> ColumnSpec:
    """An ISO date column spanning `years` calendar years from `start_year`."""
    return ColumnSpec(name, "date", synonyms, phrase, start_year=start_year, years=years)


def ident(name: str, id_format: str = "{}", id_start: int = 1, *synonyms: str, phrase: str = "") -> ColumnSpec:
    """An identifier: all-distinct integers or short codes."""
    return ColumnSpec(name, "id", synonyms, phrase, id_format=id_format, id_start=id_start)


def flag(name: str, adjective: str, *synonyms: str, p_true: float = 0.3, phrase: str = "") -> ColumnSpec:
    """A boolean column; `adjective` is how people say 'rows where it is true' ('cancelled bookings')."""
    return ColumnSpec(name, "flag", synonyms, phrase, adjective=adjective, p_true=p_true)


def table(
    stem: str,
    noun: str,
    plural: str,
    rows: int,
    *columns: ColumnSpec,
    split: Split = "tune",
    lacks: tuple[str, ...] = (),
    lacks_dims: tuple[str, ...] = (),
) -> TableSpec:
    """Shorthand for a TableSpec."""
    return TableSpec(stem, noun, plural, rows, tuple(columns), split, lacks, lacks_dims)


TABLES: list[TableSpec] = [
    table(
        "employees",
        "employee",
        "employees",
        320,
        ident("EmpID", "E{:04d}", 1001),
        cat(
            "Dept",
            ("Engineering", "Sales", "Marketing", "Finance", "HR", "Support", "Legal"),
            "department",
            "division",
            weights=(5, 4, 2, 2, 1, 3, 1),
            phrase="dept",
        ),
        cat("Sex", ("F", "M"), "gender"),
        cat(
            "Job_Level",
            ("Junior", "Mid", "Senior", "Lead", "Manager"),
            "seniority",
            "grade",
            weights=(4, 5, 3, 1.5, 1),
            ordinal=True,
        ),
        num(
            "Salary",
            32000,
            190000,
            "pay",
            "wage",
            "annual salary",
            mode=60000,
            step=500,
            by="Job_Level",
            factors=(0.7, 0.95, 1.3, 1.55, 1.75),
        ),
        num("Age", 21, 64, additive=False, mode=34),
        day("Hire_Date", 2019, 4, "start date", "date hired"),
        lacks=("bonus", "performance rating"),
        lacks_dims=("country", "office location"),
    ),
    table(
        "students",
        "student",
        "students",
        240,
        ident("student_id", "{}", 50001),
        cat(
            "school",
            ("Riverside High", "Oak Park High", "Hillcrest Academy", "Lakeview School", "Northgate High"),
            "campus",
        ),
        cat("grade_level", ("9th", "10th", "11th", "12th"), "year group", "class year", ordinal=True),
        cat("gender", ("Female", "Male", "Non-binary"), "sex", weights=(48, 48, 4)),
        num("math_score", 20, 100, "math grade", "maths mark", mode=72, additive=False),
        num("reading_score", 15, 100, "reading grade", additive=False, derive="math_score", ratio=(0.75, 1.2)),
        num("absences", 0, 24, "days absent", "missed days", mode=2),
        split="heldout",
        lacks=("tuition", "family income"),
        lacks_dims=("teacher", "home town"),
    ),
    table(
        "orders",
        "order",
        "orders",
        600,
        ident("Order_ID", "{}", 100001),
        day("Order_Date", 2021, 3, "purchase date", "date ordered"),
        cat(
            "Shipping_Method",
            ("Standard", "Express", "Next Day", "Pickup"),
            "delivery method",
            "shipping",
            weights=(6, 3, 1.5, 2),
        ),
        cat("Region", ("North", "South", "East", "West", "Central"), "area", "sales region"),
        cat(
            "Category",
            ("Electronics", "Home", "Toys", "Books", "Clothing", "Garden"),
            "product category",
            phrase="category",
            plural="categories",
        ),
        num("Qty", 1, 12, "quantity", "units", mode=1),
        num("Order_Total", 8, 900, "revenue", "sales", "order value", mode=60, decimals=2, step=0.01),
        lacks=("profit", "discount"),
        lacks_dims=("country", "customer segment"),
    ),
    table(
        "payments",
        "payment",
        "payments",
        500,
        cat(
            "PaymentMethod",
            ("Credit Card", "Debit Card", "PayPal", "Bank Transfer", "Apple Pay"),
            "payment type",
            "method of payment",
            weights=(5, 3, 3, 1, 2),
        ),
        cat("Status", ("Completed", "Pending", "Failed", "Refunded"), "payment status", weights=(12, 2, 1, 1)),
        num("Amount", 1, 2500, "amt", "payment amount", mode=40, decimals=2, step=0.01),
        cat("Currency", ("USD", "EUR", "GBP"), weights=(5, 3, 2)),
        num(
            "Fee",
            0.3,
            90,
            "processing fee",
            "transaction fee",
            decimals=2,
            step=0.01,
            derive="Amount",
            ratio=(0.015, 0.035),
        ),
        day("PaymentDate", 2022, 2, "payment date", "paid on"),
        lacks=("profit", "customer age"),
        lacks_dims=("merchant", "country"),
    ),
    table(
        "matches",
        "match",
        "matches",
        380,
        day("Match Date", 2019, 4, "game date", "kickoff date"),
        cat(
            "Home Team",
            ("Rovers", "United", "Athletic", "City", "Wanderers", "Albion", "Rangers", "Harriers"),
            "host team",
            "hosts",
        ),
        cat("Competition", ("League", "Cup", "Friendly"), "tournament", weights=(7, 2, 1)),
        num("Home Goals", 0, 7, "goals scored at home", mode=1),
        num("Away Goals", 0, 6, "visitor goals", mode=0.8),
        num("Attendance", 2000, 60000, "crowd", "spectators", mode=15000, step=10),
        lacks=("ticket revenue", "possession"),
        lacks_dims=("referee", "weather"),
    ),
    table(
        "players",
        "player",
        "players",
        300,
        ident("PLAYER_ID", "P-{:04d}", 1),
        cat(
            "TEAM",
            ("Rovers", "United", "Athletic", "City", "Wanderers", "Albion", "Rangers", "Harriers", "Town", "Olympic"),
            "club",
            "squad",
        ),
        cat(
            "POSITION",
            ("Goalkeeper", "Defender", "Midfielder", "Forward"),
            "role",
            "playing position",
            weights=(1, 4, 4, 3),
        ),
        num("AGE", 17, 38, "years old", additive=False, mode=25),
        num("GOALS", 0, 34, "goals scored", mode=1),
        num("HEIGHT_CM", 163, 201, "height", additive=False, phrase="height cm"),
        num("MARKET_VALUE", 0.3, 120, "transfer value", "valuation", mode=4, decimals=1, step=0.1),
        lacks=("salary", "assists"),
        lacks_dims=("nationality", "agent"),
    ),
    table(
        "weather",
        "reading",
        "readings",
        730,
        cat("station", ("Harbor", "Airport", "Downtown", "Hilltop", "Riverside"), "weather station", "site"),
        day("reading_date", 2022, 2, "date of reading", "observation date"),
        num(
            "temp_c",
            -12,
            38,
            "temperature",
            "air temperature",
            decimals=1,
            step=0.1,
            additive=False,
            mode=14,
            phrase="temp c",
        ),
        num("humidity_pct", 15, 100, "humidity", "relative humidity", additive=False, mode=68),
        num("rainfall_mm", 0, 60, "rain", "precipitation", decimals=1, step=0.1, mode=0, zero_rate=0.45),
        num("wind_kmh", 0, 90, "wind speed", "wind", decimals=1, step=0.1, additive=False, mode=12),
        cat("condition", ("Sunny", "Cloudy", "Rain", "Snow", "Fog"), "sky", "weather type", weights=(5, 5, 3, 1, 1)),
        lacks=("air pressure", "uv index"),
        lacks_dims=("observer", "satellite"),
    ),
    table(
        "hospital_visits",
        "visit",
        "visits",
        450,
        day("VisitDate", 2020, 3, "date of visit", "admission date"),
        cat(
            "Department",
            ("Emergency", "Cardiology", "Pediatrics", "Orthopedics", "Oncology", "Neurology"),
            "ward",
            "unit",
            weights=(6, 2, 3, 2, 1, 1),
        ),
        cat("PatientSex", ("F", "M"), "gender", "patient gender"),
        num("PatientAge", 0, 95, "age", "patient age", additive=False, mode=45),
        num("WaitMinutes", 5, 240, "wait time", "waiting time", additive=False, mode=35, step=5),
        num("Cost", 80, 12000, "bill", "charges", mode=900, decimals=2, step=0.01),
        cat("Insurance", ("Public", "Private", "Uninsured"), "insurance type", "coverage", weights=(5, 4, 1)),
        lacks=("length of stay", "blood pressure"),
        lacks_dims=("diagnosis", "doctor"),
    ),
    table(
        "flights",
        "flight",
        "flights",
        520,
        ident("flight_no", "FL{:04d}", 1200),
        cat("airline", ("SkyJet", "AeroNova", "BlueWing", "Polar Air", "SunLink"), "carrier", "operator"),
        cat("origin", ("JFK", "LAX", "ORD", "ATL", "DFW", "SEA", "DEN"), "departure airport", "from airport"),
        day("dep_date", 2023, 1, "departure date", "flight date"),
        num("delay_min", 0, 180, "delay", "minutes late", mode=5, additive=False, zero_rate=0.3),
        num("distance_km", 300, 4500, "distance", "route length", step=10, additive=False),
        num("passengers", 40, 220, "pax", "travellers", mode=150),
        lacks=("fuel cost", "ticket price"),
        lacks_dims=("pilot", "aircraft model"),
    ),
    table(
        "hotel_bookings",
        "booking",
        "bookings",
        420,
        ident("Booking Ref", "BK-{:05d}", 1),
        cat("Hotel", ("City Hotel", "Resort Hotel", "Airport Inn", "Harbor Suites"), "property", weights=(4, 3, 2, 1)),
        cat("Room Type", ("Single", "Double", "Suite", "Family"), "room category", weights=(3, 5, 1, 2)),
        day("Check In", 2021, 3, "arrival date", "check-in date"),
        num("Nights", 1, 14, "length of stay", "stay length", mode=2),
        num(
            "Rate",
            55,
            480,
            "nightly rate",
            "price per night",
            decimals=2,
            step=0.01,
            additive=False,
            mode=120,
            by="Room Type",
            factors=(0.7, 1.0, 2.2, 1.4),
        ),
        cat("Channel", ("Direct", "Online Agent", "Corporate", "Travel Agent"), "booking channel", "sales channel"),
        flag("Cancelled", "cancelled", "canceled", p_true=0.25),
        split="heldout",
        lacks=("profit", "review score"),
        lacks_dims=("guest nationality", "loyalty tier"),
    ),
    table(
        "library_loans",
        "loan",
        "loans",
        380,
        cat(
            "branch", ("Central", "Eastside", "Westfield", "Northbrook"), "library", "library branch", plural="branches"
        ),
        cat(
            "genre",
            ("Fiction", "Mystery", "Science", "History", "Children", "Biography", "Fantasy"),
            "book genre",
            "category",
        ),
        day("loan_date", 2021, 2, "checkout date", "borrow date"),
        num("days_out", 1, 42, "loan length", "borrowing period", mode=14, additive=False),
        num("late_fee", 0, 15, "fine", "overdue fine", decimals=2, step=0.25, zero_rate=0.6, mode=1),
        cat("member_type", ("Adult", "Student", "Senior", "Child"), "membership", "patron type"),
        lacks=("page count", "purchase price"),
        lacks_dims=("author", "publisher"),
    ),
    table(
        "movies",
        "movie",
        "movies",
        260,
        cat(
            "Genre",
            ("Action", "Comedy", "Drama", "Horror", "Sci-Fi", "Animation", "Documentary"),
            "film genre",
            "kind of film",
        ),
        cat("Rating", ("G", "PG", "PG-13", "R"), "age rating", "certificate", weights=(1, 3, 4, 3)),
        cat(
            "Studio",
            ("Paragon", "Silverline", "Northstar", "Bluebird", "Redwood", "Atlas"),
            "production company",
            "distributor",
        ),
        num("Budget", 1, 250, "production budget", "cost", mode=30, decimals=1, step=0.1),
        num(
            "BoxOffice",
            0.5,
            900,
            "gross",
            "box office takings",
            decimals=1,
            step=0.1,
            derive="Budget",
            ratio=(0.2, 4.0),
            phrase="box office",
        ),
        num("RuntimeMin", 80, 180, "runtime", "running time", mode=105, additive=False),
        num(
            "IMDbScore",
            2.5,
            9.5,
            "imdb score",
            "critic score",
            decimals=1,
            step=0.1,
            additive=False,
            mode=6.4,
            phrase="imdb score",
        ),
        lacks=("streaming views", "marketing spend"),
        lacks_dims=("director", "lead actor"),
    ),
    table(
        "songs",
        "song",
        "songs",
        400,
        cat("genre", ("Pop", "Rock", "Hip-Hop", "Jazz", "Electronic", "Country", "Classical"), "style", "music genre"),
        cat("label", ("Sunset Records", "Northwave", "Indigo Music", "Echo House"), "record label", "publisher"),
        num("duration_sec", 120, 420, "length", "song length", mode=210, additive=False, phrase="duration"),
        num("streams", 1000, 5000000, "plays", "listens", mode=20000, step=1000),
        num("tempo_bpm", 60, 180, "tempo", "bpm", additive=False, mode=118),
        day("released", 2020, 4, "release date", "date released", phrase="release date"),
        split="heldout",
        lacks=("royalties", "chart position"),
        lacks_dims=("album", "songwriter"),
    ),
    table(
        "cars",
        "car",
        "cars",
        360,
        cat(
            "Make", ("Toyota", "Ford", "Honda", "BMW", "Tesla", "Kia", "Volkswagen", "Hyundai"), "brand", "manufacturer"
        ),
        cat("Body", ("Sedan", "SUV", "Hatchback", "Pickup", "Coupe"), "body type", "body style", plural="bodies"),
        cat("Fuel", ("Petrol", "Diesel", "Hybrid", "Electric"), "fuel type", "engine type", weights=(5, 2, 2, 1)),
        num("Price", 6000, 85000, "sticker price", "asking price", mode=22000, step=100, additive=False),
        num("Mileage", 0, 220000, "odometer", "miles driven", mode=45000, step=100, additive=False),
        num(
            "MPG",
            12,
            60,
            "fuel economy",
            "miles per gallon",
            decimals=1,
            step=0.1,
            additive=False,
            mode=30,
            phrase="mpg",
        ),
        num("Doors", 2, 5, "number of doors", additive=False, mode=4),
        lacks=("horsepower", "insurance cost"),
        lacks_dims=("dealer", "paint colour"),
    ),
    table(
        "listings",
        "listing",
        "listings",
        280,
        cat(
            "Neighborhood",
            ("Old Town", "Riverside", "Hillside", "Midtown", "Lakeshore", "Eastgate"),
            "area",
            "district",
        ),
        cat("Property Type", ("House", "Apartment", "Condo", "Townhouse"), "home type", "kind of property"),
        num("Bedrooms", 1, 6, "beds", "bedroom count", mode=2, additive=False),
        num("Sq Ft", 450, 4200, "size", "square footage", "floor area", step=10, additive=False, mode=1300),
        num("List Price", 40000, 1900000, "price", "asking price", step=1000, derive="Sq Ft", ratio=(150, 420)),
        num("Days On Market", 1, 180, "time on market", "days listed", mode=21, additive=False),
        flag("Sold", "sold", "closed", p_true=0.55),
        lacks=("property tax", "hoa fee"),
        lacks_dims=("agent", "school rating"),
    ),
    table(
        "meter_readings",
        "reading",
        "readings",
        640,
        cat("SITE", ("Plant A", "Plant B", "Office HQ", "Warehouse", "Data Center"), "facility", "building"),
        cat("CIRCUIT", ("Main", "HVAC", "Lighting", "Servers", "Kitchen"), "circuit type", "load type"),
        day("READ_DATE", 2022, 2, "reading date", "meter date"),
        num("KWH", 5, 950, "consumption", "energy use", "usage", decimals=1, step=0.1, mode=120),
        num("COST_USD", 1, 240, "cost", "energy bill", decimals=2, step=0.01, derive="KWH", ratio=(0.11, 0.24)),
        num("PEAK_LOAD_KW", 1, 120, "peak load", "peak demand", decimals=1, step=0.1, additive=False, mode=25),
        lacks=("carbon emissions", "voltage"),
        lacks_dims=("tariff", "meter vendor"),
    ),
    table(
        "web_sessions",
        "session",
        "sessions",
        700,
        cat("device", ("Desktop", "Mobile", "Tablet"), "device type", "platform", weights=(4, 5, 1)),
        cat("browser", ("Chrome", "Safari", "Firefox", "Edge"), "web browser", weights=(6, 3, 1, 1)),
        cat("traffic_source", ("Organic", "Paid", "Social", "Email", "Referral", "Direct"), "source", "channel"),
        day("session_start", 2023, 1, "visit date", "session date"),
        num("pages_viewed", 1, 40, "page views", "pageviews", mode=3),
        num("duration_sec", 5, 3600, "time on site", "session length", mode=180, step=5, additive=False),
        flag("converted", "converted", "conversion", p_true=0.08),
        lacks=("revenue", "user age"),
        lacks_dims=("operating system", "landing page"),
    ),
    table(
        "support_tickets",
        "ticket",
        "tickets",
        460,
        ident("TicketID", "TCK-{:05d}", 10001),
        cat(
            "Priority",
            ("Low", "Medium", "High", "Urgent"),
            "urgency",
            "severity",
            weights=(4, 5, 2, 1),
            plural="priorities",
            ordinal=True,
        ),
        cat("Channel", ("Email", "Phone", "Chat", "Web Form"), "contact channel", "contact method"),
        cat("Team", ("Billing", "Technical", "Accounts", "Shipping"), "queue", "support team"),
        cat(
            "Status",
            ("Open", "Pending", "Resolved", "Closed"),
            "ticket status",
            weights=(2, 1, 3, 5),
            plural="statuses",
        ),
        day("OpenedOn", 2022, 2, "created date", "open date", phrase="opened on"),
        num(
            "ResolutionHours",
            0.5,
            240,
            "time to resolve",
            "resolution time",
            decimals=1,
            step=0.5,
            mode=12,
            additive=False,
        ),
        num("CSAT", 1, 5, "satisfaction", "customer satisfaction", mode=4.4, additive=False, phrase="csat"),
        split="heldout",
        lacks=("refund amount", "first response time"),
        lacks_dims=("agent name", "product"),
    ),
    table(
        "insurance_claims",
        "claim",
        "claims",
        340,
        ident("claim_no", "{}", 700001),
        cat(
            "policy_type",
            ("Auto", "Home", "Health", "Travel", "Life"),
            "line of business",
            "insurance product",
            weights=(5, 3, 4, 1, 1),
        ),
        cat("claim_status", ("Approved", "Denied", "Under Review"), "outcome", "decision", weights=(6, 2, 2)),
        num("claim_amount", 200, 85000, "claim value", "amount claimed", mode=3000, decimals=2, step=0.01),
        num(
            "payout",
            0,
            80000,
            "settlement",
            "paid amount",
            decimals=2,
            step=0.01,
            derive="claim_amount",
            ratio=(0.0, 0.95),
        ),
        cat("state", ("CA", "TX", "NY", "FL", "IL", "WA"), "us state", "location"),
        flag("fraud_flag", "flagged", "suspected fraud", p_true=0.12, phrase="fraud flag"),
        lacks=("premium", "deductible"),
        lacks_dims=("adjuster", "hospital"),
    ),
    table(
        "restaurants",
        "restaurant",
        "restaurants",
        210,
        cat(
            "Cuisine",
            ("Italian", "Mexican", "Chinese", "Indian", "Japanese", "American", "Thai", "French"),
            "food type",
            "kind of food",
        ),
        cat(
            "City", ("Austin", "Denver", "Portland", "Chicago", "Boston", "Miami"), "town", "location", plural="cities"
        ),
        cat("Price Range", ("$", "$$", "$$$", "$$$$"), "price level", "price tier", weights=(3, 5, 3, 1)),
        num("Rating", 2.0, 5.0, "stars", "review score", decimals=1, step=0.1, additive=False, mode=4.1),
        num("Review Count", 3, 2500, "reviews", "number of reviews", mode=120),
        num("Seats", 12, 220, "capacity", "seating", mode=60, additive=False),
        lacks=("revenue", "staff count"),
        lacks_dims=("chef", "owner"),
    ),
    table(
        "inventory",
        "item",
        "items",
        300,
        ident("sku", "SKU-{:05d}", 10001, "item code", phrase="sku"),
        cat("warehouse", ("Dallas", "Reno", "Columbus", "Atlanta"), "depot", "storage site"),
        cat("product_line", ("Kitchen", "Outdoor", "Office", "Toys", "Lighting"), "category", "line"),
        num("stock_qty", 0, 500, "stock", "units on hand", mode=60),
        num("unit_cost", 0.5, 250, "cost", "cost per unit", decimals=2, step=0.01, additive=False, mode=12),
        num("reorder_level", 5, 100, "reorder point", "minimum stock", step=5, additive=False, mode=20),
        cat("supplier", ("Acme Co", "Globex", "Initech", "Umbrella Supply", "Stark Parts"), "vendor"),
        lacks=("profit margin", "weekly sales"),
        lacks_dims=("expiry date", "brand"),
    ),
    table(
        "shipments",
        "shipment",
        "shipments",
        480,
        cat("Carrier", ("DHL", "FedEx", "UPS", "USPS", "OnTrac"), "courier", "shipper"),
        cat(
            "OriginCountry",
            ("China", "Germany", "USA", "Mexico", "Vietnam"),
            "origin",
            "source country",
            plural="origin countries",
            phrase="origin country",
        ),
        cat("Mode", ("Air", "Sea", "Road", "Rail"), "transport mode", "shipping mode", weights=(3, 2, 5, 1)),
        num("WeightKg", 0.2, 1800, "weight", "mass", decimals=1, step=0.1, mode=25),
        num(
            "FreightCost",
            5,
            9500,
            "shipping cost",
            "freight",
            decimals=2,
            step=0.01,
            derive="WeightKg",
            ratio=(2.0, 5.0),
        ),
        num("TransitDays", 1, 45, "transit time", "days in transit", mode=4, additive=False),
        flag("OnTime", "on-time", "delivered on time", p_true=0.8, phrase="on time"),
        lacks=("customs duty", "insurance value"),
        lacks_dims=("destination port", "recipient"),
    ),
    table(
        "bank_transactions",
        "transaction",
        "transactions",
        800,
        ident("txn_id", "TX{:06d}", 1),
        cat(
            "txn_type",
            ("Deposit", "Withdrawal", "Transfer", "Card Payment", "Fee"),
            "transaction type",
            "kind",
            weights=(3, 3, 2, 6, 1),
        ),
        cat("branch", ("Leeds", "Bristol", "Glasgow", "Cardiff", "Belfast"), "bank branch", plural="branches"),
        cat("account_type", ("Checking", "Savings", "Business"), "account", weights=(5, 3, 2)),
        num("amount", 1, 20000, "amt", "transaction amount", mode=80, decimals=2, step=0.01),
        num(
            "balance_after", 0, 150000, "balance", "resulting balance", decimals=2, step=0.01, additive=False, mode=6000
        ),
        day("txn_date", 2023, 1, "transaction date", "posting date"),
        lacks=("interest rate", "credit score"),
        lacks_dims=("customer occupation", "merchant category"),
    ),
    table(
        "courses",
        "course",
        "courses",
        150,
        ident("Course Code", "CRS-{:03d}", 101),
        cat(
            "Faculty",
            ("Science", "Arts", "Engineering", "Business", "Medicine"),
            "school",
            "division",
            plural="faculties",
        ),
        cat("Level", ("Intro", "Intermediate", "Advanced"), "difficulty", weights=(3, 2, 1), ordinal=True),
        num("Credits", 1, 6, "credit hours", mode=3),
        num("Enrolled", 8, 420, "enrollment", "class size", mode=45),
        num("Avg Grade", 55, 95, "average mark", "mean grade", decimals=1, step=0.1, additive=False, mode=76),
        cat("Delivery Mode", ("In Person", "Online", "Hybrid"), "format", "teaching mode"),
        lacks=("tuition fee", "dropout rate"),
        lacks_dims=("instructor", "semester"),
    ),
    table(
        "elections",
        "candidate",
        "candidates",
        240,
        cat(
            "County",
            ("Ashford", "Brookdale", "Carver", "Dunmore", "Elmwood", "Fairview", "Glenrock", "Harlow"),
            "district",
            "constituency",
            plural="counties",
        ),
        cat(
            "Party",
            ("Green", "Labour", "Liberal", "Conservative", "Independent"),
            "political party",
            "affiliation",
            plural="parties",
        ),
        num("Votes", 50, 9000, "vote count", "ballots", mode=1800),
        num("Turnout_Pct", 25, 88, "turnout", "turnout rate", decimals=1, step=0.1, additive=False, mode=61),
        cat("Candidate_Gender", ("Female", "Male"), "gender", "sex"),
        flag("Incumbent", "incumbent", "sitting member", p_true=0.2),
        lacks=("campaign spending", "voter income"),
        lacks_dims=("polling station", "religion"),
    ),
    table(
        "museums",
        "exhibition",
        "exhibitions",
        90,
        cat(
            "Museum",
            ("Modern Art Museum", "Natural History", "Science Center", "Maritime Museum", "City Gallery"),
            "venue",
            "institution",
        ),
        cat("Exhibit Type", ("Permanent", "Temporary", "Traveling"), "exhibition type", weights=(2, 5, 2)),
        cat("Theme", ("Art", "History", "Science", "Nature", "Technology"), "topic", "subject"),
        num("Visitors", 500, 250000, "attendance", "visitor count", "footfall", mode=20000, step=500),
        num("Ticket Price", 0, 35, "admission price", "entry fee", decimals=2, step=0.5, additive=False, mode=12),
        num("Duration Weeks", 2, 52, "duration", "run length", mode=12, additive=False),
        lacks=("insurance value", "gift shop sales"),
        lacks_dims=("curator", "sponsor"),
    ),
    table(
        "bike_rentals",
        "rental",
        "rentals",
        750,
        cat(
            "start_station",
            (
                "Central Park",
                "Harbor Front",
                "Union Square",
                "Museum Mile",
                "City Hall",
                "University",
                "Riverside",
                "Market St",
            ),
            "station",
            "pickup station",
        ),
        cat("bike_type", ("Classic", "Electric", "Cargo"), "bike", "kind of bike", weights=(6, 4, 1)),
        cat("rider_type", ("Member", "Casual"), "user type", "customer type", weights=(7, 3)),
        day("start_time", 2022, 2, "rental date", "ride date", phrase="start date"),
        num("duration_min", 2, 180, "ride length", "trip duration", mode=14),
        num(
            "distance_km",
            0.3,
            45,
            "distance",
            "ride distance",
            decimals=1,
            step=0.1,
            derive="duration_min",
            ratio=(0.12, 0.3),
        ),
        num("fare", 0, 38, "price", "charge", decimals=2, step=0.05, derive="duration_min", ratio=(0.08, 0.25)),
        split="heldout",
        lacks=("rider age", "battery level"),
        lacks_dims=("weather", "end station"),
    ),
    table(
        "taxi_trips",
        "trip",
        "trips",
        800,
        cat("pickup_zone", ("Downtown", "Airport", "Midtown", "Uptown", "Harbor", "Suburbs"), "pickup area", "zone"),
        cat("payment_type", ("Card", "Cash", "App"), "payment method", "paid by", weights=(6, 2, 3)),
        day("trip_date", 2023, 1, "pickup date", "ride date"),
        num("passenger_count", 1, 6, "passengers", "riders", mode=1),
        num("trip_miles", 0.4, 38, "distance", "miles", decimals=2, step=0.01, mode=2.5),
        num("fare_amount", 3, 140, "fare", "ride price", decimals=2, step=0.01, derive="trip_miles", ratio=(2.2, 3.6)),
        num("tip_amount", 0, 40, "tip", "gratuity", decimals=2, step=0.01, derive="fare_amount", ratio=(0.0, 0.3)),
        lacks=("driver rating", "toll cost"),
        lacks_dims=("car model", "driver name"),
    ),
    table(
        "crops",
        "field",
        "fields",
        200,
        ident("FieldID", "F-{:03d}", 1),
        cat("Crop", ("Wheat", "Corn", "Soybean", "Barley", "Rice", "Canola"), "crop type", "plant"),
        cat("Region", ("Prairie", "Valley", "Coastal", "Highlands"), "farming region", "zone"),
        flag("Irrigated", "irrigated", "watered", p_true=0.4),
        num("Area_ha", 2, 350, "area", "hectares", decimals=1, step=0.1, mode=40),
        num(
            "Yield_t_ha",
            1.2,
            11,
            "yield",
            "yield per hectare",
            decimals=2,
            step=0.01,
            additive=False,
            mode=4.5,
            by="Crop",
            factors=(0.9, 1.4, 0.6, 0.8, 1.1, 0.5),
            phrase="yield t ha",
        ),
        num("Rainfall_mm", 200, 1400, "rainfall", "precipitation", step=5, additive=False, mode=600),
        lacks=("fertilizer cost", "pesticide use"),
        lacks_dims=("soil type", "farmer"),
    ),
    table(
        "earthquakes",
        "earthquake",
        "earthquakes",
        560,
        day("Date", 2019, 4, "event date", "day of the quake", phrase="date"),
        cat(
            "Region",
            ("Pacific Rim", "Andes", "Himalaya", "Mediterranean", "Alaska", "Japan Trench"),
            "zone",
            "seismic region",
        ),
        num("Magnitude", 2.5, 8.1, "mag", "strength", decimals=1, step=0.1, additive=False, mode=3.4),
        num("Depth_km", 1, 650, "depth", "focal depth", decimals=1, step=0.1, additive=False, mode=25),
        cat("Mag_Type", ("ML", "Mw", "mb", "Md"), "magnitude type", "magnitude scale"),
        flag("Tsunami", "tsunami-generating", "tsunami warning", p_true=0.05, phrase="tsunami"),
        num("Felt_Reports", 0, 3000, "felt reports", "reports", mode=5, derive="Magnitude", ratio=(0, 120)),
        split="heldout",
        lacks=("casualties", "economic loss"),
        lacks_dims=("fault name", "country"),
    ),
    table(
        "job_postings",
        "posting",
        "postings",
        330,
        cat(
            "role_family",
            ("Engineering", "Data", "Design", "Sales", "Marketing", "Operations", "Finance"),
            "job family",
            "function",
        ),
        cat(
            "seniority",
            ("Entry", "Mid", "Senior", "Director"),
            "experience level",
            "career level",
            weights=(3, 4, 3, 1),
            ordinal=True,
        ),
        cat("work_mode", ("Remote", "Hybrid", "Onsite"), "workplace type", "working arrangement"),
        num(
            "salary_min",
            30000,
            180000,
            "salary floor",
            "lower salary bound",
            step=1000,
            additive=False,
            mode=70000,
            by="seniority",
            factors=(0.7, 1.0, 1.35, 1.8),
        ),
        num(
            "salary_max",
            40000,
            260000,
            "salary ceiling",
            "upper salary bound",
            step=1000,
            additive=False,
            derive="salary_min",
            ratio=(1.1, 1.5),
        ),
        num("applicants", 0, 900, "applications", "number of applicants", mode=40),
        lacks=("equity", "signing bonus"),
        lacks_dims=("company size", "hiring manager"),
    ),
    table(
        "apps",
        "app",
        "apps",
        300,
        cat(
            "Category",
            ("Games", "Productivity", "Social", "Health", "Finance", "Education", "Music"),
            "app category",
            "genre",
            plural="categories",
        ),
        cat("ContentRating", ("Everyone", "Teen", "Mature"), "age rating", "content rating", weights=(6, 3, 1)),
        num("Price", 0, 19.99, "cost", "app price", decimals=2, step=0.01, additive=False, zero_rate=0.7, mode=2),
        num("Rating", 1.5, 5.0, "stars", "user rating", decimals=1, step=0.1, additive=False, mode=4.2),
        num(
            "Installs",
            100,
            50000000,
            "downloads",
            "install count",
            choices=(100, 500, 1000, 5000, 10000, 50000, 100000, 500000, 1000000, 5000000, 10000000, 50000000),
        ),
        num("SizeMB", 2, 950, "size", "app size", decimals=1, step=0.1, additive=False, mode=40),
        split="heldout",
        lacks=("daily active users", "ad revenue"),
        lacks_dims=("developer", "country"),
    ),
    table(
        "product_reviews",
        "review",
        "reviews",
        620,
        cat(
            "product_category",
            ("Electronics", "Beauty", "Kitchen", "Books", "Sports", "Pet Supplies"),
            "category",
            "department",
            plural="product categories",
        ),
        num("stars", 1, 5, "rating", "star rating", mode=5, additive=False),
        num("helpful_votes", 0, 250, "upvotes", "helpful count", mode=0),
        flag("verified_purchase", "verified", "verified buyer", p_true=0.75),
        day("review_date", 2020, 4, "date posted", "posted on"),
        num("review_length", 5, 900, "word count", "length", mode=60, step=5, additive=False),
        cat("platform", ("Web", "iOS", "Android"), "device", "app platform"),
        lacks=("product price", "return rate"),
        lacks_dims=("reviewer country", "brand"),
    ),
    table(
        "donations",
        "donation",
        "donations",
        360,
        cat(
            "Donor Type",
            ("Individual", "Corporate", "Foundation"),
            "donor category",
            "kind of donor",
            weights=(8, 2, 1),
        ),
        cat("Campaign", ("Spring Appeal", "Giving Tuesday", "Year End", "Annual Gala"), "appeal", "fundraiser"),
        num("Amount", 5, 25000, "gift", "donation amount", mode=50, decimals=2, step=0.01),
        day("Donation Date", 2020, 3, "gift date", "date given"),
        cat("Channel", ("Online", "Mail", "Event", "Phone"), "giving channel", "method"),
        lacks=("tax deduction", "donor age"),
        lacks_dims=("donor country", "fund manager"),
        split="heldout",
    ),
    # Tables added for the fresh4 round (new domains, so new words): appended, and skipped by every older
    # pass, so no older case moved. Only fresh4 questions (and those of the later rounds, on their diagonals)
    # are asked on them.
    table(
        "gym_visits",
        "visit",
        "visits",
        520,
        cat(
            "Club",
            ("Downtown Central", "Riverside", "Harbour Point", "Uptown Studio", "Westgate Studio"),
            "gym branch",
            "home gym",
        ),
        cat(
            "Class_Type",
            ("Spin", "Yoga", "HIIT", "Pilates", "Free Weights", "Boxing"),
            "class",
            "activity",
            weights=(3, 3, 2, 2, 4, 1),
        ),
        cat("Membership", ("Basic", "Plus", "Premium"), "plan", "membership tier", weights=(5, 3, 2), ordinal=True),
        day("Visit_Day", 2022, 2, "check-in date", "workout date"),
        num("Minutes", 10, 150, "time spent", "duration", mode=55),
        num("Calories", 40, 1500, "calories burned", "kcal", derive="Minutes", ratio=(4.0, 10.0)),
        num("Member_Age", 16, 78, "age", "member age", additive=False, mode=33),
        flag("Guest_Pass", "guest", "drop-in", p_true=0.15, phrase="guest pass"),
        split="fresh4",
        lacks=("heart rate", "locker fee"),
        lacks_dims=("trainer", "music playlist"),
    ),
    table(
        "coffee_sales",
        "sale",
        "sales",
        700,
        cat(
            "shop",
            ("Canal St", "Market Hall", "Station Kiosk", "Campus Cart", "Old Mill"),
            "cafe",
            "outlet",
            weights=(4, 3, 3, 2, 1),
        ),
        cat(
            "drink",
            ("Latte", "Flat White", "Espresso", "Cold Brew", "Cappuccino", "Chai", "Hot Chocolate"),
            "beverage",
            "menu item",
            weights=(5, 3, 2, 3, 3, 1, 1),
        ),
        cat("cup_size", ("Small", "Regular", "Large"), "size", weights=(2, 5, 3), ordinal=True),
        cat("pay_method", ("Card", "Cash", "Mobile Wallet"), "payment", "paid with", weights=(6, 2, 3)),
        day("sold_at", 2023, 1, "purchase day", "day sold", phrase="sale date"),
        num("basket_total", 2.5, 45, "spend", "takings", decimals=2, step=0.05, mode=6),
        num("items", 1, 6, "item count", "number of items", mode=1),
        num("prep_seconds", 20, 600, "prep time", "make time", additive=False, mode=150),
        flag("mobile_order", "mobile", "app order", "ordered ahead", p_true=0.3, phrase="mobile order"),
        split="fresh4",
        lacks=("profit margin", "barista tips"),
        lacks_dims=("barista", "weather"),
    ),
    table(
        "parking_citations",
        "citation",
        "citations",
        480,
        day("Issue Date", 2021, 3, "date issued", "ticket date"),
        cat(
            "Violation",
            ("Expired Meter", "No Parking Zone", "Street Cleaning", "Fire Hydrant", "Double Parking", "Permit Zone",
             "Bus Stop"),
            "offence",
            "violation type",
            weights=(6, 3, 4, 1, 2, 2, 1),
        ),
        cat(
            "District",
            ("Harborview", "Northside", "Old Quarter", "Southfield", "University Hill"),
            "neighbourhood",
            "part of town",
        ),
        cat("Vehicle", ("Sedan", "SUV", "Van", "Pickup", "Motorbike"), "vehicle type", "car type",
            weights=(6, 4, 2, 2, 1)),
        num("Fine", 25, 350, "fine amount", "penalty", step=5, mode=65),
        num("Days To Pay", 0, 120, "time to pay", "payment delay", mode=14, additive=False),
        flag("Appealed", "appealed", "contested", p_true=0.18),
        split="fresh4",
        lacks=("tow fee", "driver age"),
        lacks_dims=("officer", "car colour"),
    ),
    table(
        "solar_output",
        "reading",
        "readings",
        600,
        cat("Array", ("North Field", "South Field", "East Roof", "West Roof", "Carport"), "panel group",
            "installation"),
        cat("Panel", ("Mono", "Poly", "Thin Film"), "panel type", "module type", weights=(5, 3, 2)),
        day("Log_Date", 2022, 2, "date logged", "log day", phrase="log date"),
        num("Output_kWh", 0, 900, "generation", "energy produced", decimals=1, step=0.1, mode=320,
            phrase="output kwh"),
        num("Irradiance", 50, 1100, "sunlight", "solar irradiance", additive=False, mode=550),
        num("Panel_Temp_C", -5, 70, "panel temperature", "module temp", decimals=1, step=0.1, additive=False,
            mode=32, phrase="panel temp c"),
        num("Downtime_Min", 0, 600, "outage minutes", "downtime", mode=30, zero_rate=0.5),
        flag("Curtailed", "curtailed", "throttled", p_true=0.15),
        split="fresh4",
        lacks=("inverter efficiency", "maintenance cost"),
        lacks_dims=("installer", "inverter brand"),
    ),
    table(
        "pet_adoptions",
        "adoption",
        "adoptions",
        380,
        cat("Shelter", ("Maple Street", "Cedar Park", "Bayside", "Hollow Creek"), "rescue", "rescue centre"),
        cat(
            "Species",
            ("Dog", "Cat", "Rabbit", "Guinea Pig", "Bird"),
            "animal",
            "kind of animal",
            weights=(6, 5, 1, 1, 1),
            plural="species",
        ),
        cat("Age_Group", ("Baby", "Young", "Adult", "Senior"), "life stage", weights=(2, 3, 4, 1), ordinal=True),
        day("Adopted_On", 2021, 3, "adoption date", "date adopted", phrase="adoption date"),
        num("Days_In_Shelter", 1, 300, "time in care", "days waiting", mode=25, additive=False),
        num("Adoption_Fee", 0, 450, "fee", "adoption cost", step=5, mode=120),
        num("Weight_Kg", 0.3, 55, "weight", "body weight", decimals=1, step=0.1, additive=False, mode=8),
        flag("Vaccinated", "vaccinated", "jabbed", p_true=0.7),
        split="fresh4",
        lacks=("vet bills", "food cost"),
        lacks_dims=("breed", "adopter city"),
    ),
    table(
        "podcast_episodes",
        "episode",
        "episodes",
        300,
        cat(
            "Show",
            ("Morning Brief", "Tech Talk Weekly", "True Crime Hour", "The Money Hour", "Garden Chat"),
            "podcast",
            "programme",
        ),
        cat("Topic", ("News", "Technology", "Crime", "Finance", "Lifestyle", "Comedy"), "content area", "beat"),
        day("Published", 2022, 2, "air date", "publish date", phrase="publish date"),
        num("Downloads", 200, 250000, "download count", "audience", mode=5000, step=10),
        num("Length_Min", 8, 150, "episode length", "duration", additive=False, mode=45),
        num("Ad_Spots", 0, 8, "ads", "ad breaks", mode=2),
        num("Listener_Rating", 1.0, 5.0, "stars", "listener score", decimals=1, step=0.1, additive=False, mode=4.1),
        flag("Bonus", "bonus", "extra", p_true=0.15),
        split="fresh4",
        lacks=("sponsor revenue", "listener age"),
        lacks_dims=("guest", "host"),
    ),
    # Tables added for the fresh5 round (new domains again, so new words): appended after the fresh4 ones and
    # skipped by every older pass (fresh4's included), so no older case moved. Only fresh5 questions (and
    # fresh6 ones, on its diagonal) are asked on them, and those may name a column by the word people use for
    # it ("fare" for ticket_price).
    table(
        "ferry_tickets",
        "ticket",
        "tickets",
        560,
        ident("ticket_no", "FT{:06d}", 300001),
        day("travel_date", 2022, 2, "sailing date", "crossing date"),
        cat(
            "route",
            ("Mainland - North Isle", "Mainland - South Isle", "North Isle - South Isle", "Mainland - Gull Rock",
             "Gull Rock - South Isle"),
            "crossing",
            "ferry line",
            weights=(5, 4, 2, 2, 1),
        ),
        cat("fare_class", ("Standard", "Flexi", "Club"), "ticket class", "cabin class", weights=(6, 3, 1),
            ordinal=True),
        cat(
            "vehicle",
            ("Foot Passenger", "Car", "Van", "Motorbike", "Bicycle"),
            "vehicle type",
            "vehicle category",
            weights=(5, 4, 1, 1, 1),
        ),
        num("ticket_price", 4, 260, "fare", "price paid", decimals=2, step=0.5, mode=26, by="vehicle",
            factors=(0.45, 1.4, 1.9, 0.9, 0.55)),
        num("passengers", 1, 9, "party size", "travellers", mode=2),
        num("booked_days_ahead", 0, 120, "lead time", "days in advance", mode=7, additive=False),
        flag("return_trip", "return", "round trip", p_true=0.4, phrase="return trip"),
        split="fresh5",
        lacks=("sailing duration", "onboard spend"),
        lacks_dims=("vessel", "booking channel"),
    ),
    table(
        "lab_results",
        "test",
        "tests",
        520,
        ident("SpecimenID", "SP{:05d}", 10001),
        day("CollectedOn", 2022, 2, "collection date", "sample date", phrase="collection date"),
        cat(
            "TestName",
            ("CBC", "Lipid Panel", "HbA1c", "TSH", "Vitamin D", "Creatinine", "CRP"),
            "assay",
            "test type",
            weights=(5, 3, 3, 2, 2, 3, 2),
            phrase="test name",
        ),
        cat(
            "OrderingDept",
            ("Emergency", "Cardiology", "Oncology", "Primary Care", "Endocrinology"),
            "department",
            "ordering unit",
            weights=(4, 2, 2, 5, 1),
            phrase="ordering dept",
        ),
        cat("Priority", ("Routine", "Urgent", "STAT"), "urgency", weights=(7, 2, 1), ordinal=True),
        num("TurnaroundHrs", 0.5, 96, "turnaround time", "TAT", decimals=1, step=0.5, mode=6, additive=False,
            by="Priority", factors=(1.3, 0.6, 0.25)),
        num("Cost_USD", 8, 420, "price", "charge", decimals=2, step=0.01, mode=35),
        num("PatientAge", 0, 98, "age", "age of patient", additive=False, mode=52),
        flag("Abnormal", "abnormal", "out of range", p_true=0.25),
        split="fresh5",
        lacks=("reagent cost", "sample volume"),
        lacks_dims=("ordering physician", "analyzer model"),
    ),
    table(
        "food_inspections",
        "inspection",
        "inspections",
        480,
        ident("inspection_id", "{}", 700001),
        day("inspection_date", 2021, 3, "visit date", "date inspected"),
        cat("borough", ("Northbank", "Southbank", "Eastgate", "Westgate", "Old Town"), "district", "area"),
        cat(
            "facility_type",
            ("Restaurant", "Food Truck", "Bakery", "Grocery", "School Cafeteria", "Bar"),
            "establishment type",
            "kind of premises",
            weights=(6, 2, 2, 3, 1, 2),
        ),
        cat(
            "insp_type",
            ("Routine", "Follow-up", "Complaint", "Pre-opening"),
            "visit reason",
            "reason for inspection",
            weights=(6, 2, 2, 1),
            phrase="inspection type",
        ),
        num("score", 40, 100, "hygiene score", "inspection score", mode=88, additive=False),
        num("violations", 0, 14, "violation count", "infractions", mode=2),
        num("critical_violations", 0, 6, "serious violations", "critical issues", mode=1, zero_rate=0.4),
        num("minutes_on_site", 15, 240, "time on site", "visit length", mode=60, additive=False),
        flag("passed", "passing", "pass", p_true=0.78),
        split="fresh5",
        lacks=("fine amount", "seating capacity"),
        lacks_dims=("inspector", "cuisine"),
    ),
    table(
        "ev_charging",
        "session",
        "sessions",
        640,
        cat(
            "Station",
            ("Mall Garage", "Airport Lot B", "City Hall", "Park and Ride East", "Harbor Garage", "Tech Campus"),
            "charging site",
            "charger location",
            weights=(4, 3, 2, 2, 3, 2),
        ),
        cat("ConnectorType", ("CCS", "CHAdeMO", "Type 2", "NACS"), "plug type", "connector", weights=(5, 1, 4, 3),
            phrase="connector type"),
        cat(
            "Vehicle_Make",
            ("Tesla", "Nissan", "Hyundai", "Kia", "VW", "Ford", "BMW"),
            "car brand",
            "make",
            weights=(6, 2, 3, 2, 2, 2, 1),
        ),
        day("StartDate", 2022, 2, "charge date", "plug-in date", phrase="start date"),
        num("kWh_Delivered", 2, 95, "energy", "kwh", decimals=1, step=0.1, mode=22, phrase="kwh delivered"),
        num("Duration_Min", 5, 480, "charging time", "session length", derive="kWh_Delivered", ratio=(1.2, 5.0),
            additive=False),
        num("Cost", 0.5, 60, "price", "charging fee", decimals=2, step=0.01, derive="kWh_Delivered",
            ratio=(0.25, 0.6)),
        flag("Member", "member", "subscriber", p_true=0.45),
        split="fresh5",
        lacks=("battery health", "max power"),
        lacks_dims=("charger vendor", "utility company"),
    ),
    table(
        "building_permits",
        "permit",
        "permits",
        450,
        ident("PermitNo", "BP-{:05d}", 20001),
        day("IssueDate", 2020, 4, "date issued", "approval date", phrase="issue date"),
        cat(
            "WorkType",
            ("New Construction", "Renovation", "Demolition", "Electrical", "Plumbing", "Roofing"),
            "permit type",
            "kind of work",
            weights=(2, 5, 1, 3, 3, 2),
            phrase="work type",
        ),
        cat("Ward", ("Ward 1", "Ward 2", "Ward 3", "Ward 4", "Ward 5", "Ward 6"), "council ward", "district"),
        cat("Occupancy", ("Residential", "Commercial", "Industrial", "Mixed Use"), "use class", "building use",
            weights=(6, 3, 1, 1)),
        num("Est_Cost", 500, 2500000, "valuation", "project cost", "estimated cost", mode=15000, step=100,
            phrase="est cost"),
        num("Floor_Area_SqFt", 0, 40000, "square footage", "size", mode=1200, step=10),
        num("Days_To_Approve", 1, 180, "approval time", "processing days", mode=21, additive=False),
        flag("Expedited", "expedited", "fast-tracked", p_true=0.2),
        split="fresh5",
        lacks=("inspection fee", "energy rating"),
        lacks_dims=("contractor", "architect"),
    ),
    table(
        "theatre_performances",
        "performance",
        "performances",
        420,
        day("Show_Date", 2022, 2, "performance date", "date of the performance", phrase="show date"),
        cat("Production", ("Hamlet", "The Tempest", "Cats", "Les Mis", "Our Town", "Annie"), "show", "play"),
        cat("Venue", ("Main Stage", "Studio Stage", "Courtyard", "Riverside Hall"), "theatre", "house",
            weights=(4, 2, 2, 3)),
        cat("Slot", ("Matinee", "Evening", "Late"), "time slot", "showtime", weights=(3, 6, 1)),
        num("Seats_Sold", 20, 900, "tickets sold", "attendance", mode=350),
        num("Box_Office", 400, 60000, "takings", "gross", derive="Seats_Sold", ratio=(18, 75)),
        num("Running_Time_Min", 75, 190, "run time", "length", additive=False, mode=140),
        num("Comp_Tickets", 0, 60, "complimentary tickets", "free seats", mode=6),
        num("Audience_Rating", 1.0, 5.0, "stars", "review score", decimals=1, step=0.1, additive=False, mode=4.0),
        flag("Sold_Out", "sold-out", "full house", p_true=0.12),
        split="fresh5",
        lacks=("bar sales", "cast salaries"),
        lacks_dims=("director", "playwright"),
    ),
    # Tables added for the fresh6 round (round 7; new domains again): appended after the fresh5 ones and skipped
    # by every older pass (fresh5's included), so no older case moved. Only fresh6 questions are asked on them;
    # their headers mix the styles real files have (CamelCase, snake_case, Title Case with spaces, codes such as
    # tree_dbh), and their synonyms are the words people say for those columns ("grape" for Variety).
    table(
        "wine_reviews",
        "review",
        "reviews",
        540,
        ident("ReviewID", "WR{:05d}", 40001),
        day("TastedOn", 2021, 3, "tasting date", "review date", phrase="tasting date"),
        cat(
            "Country",
            ("France", "Italy", "Spain", "USA", "Chile", "Australia", "Portugal"),
            "origin",
            "producing country",
            weights=(5, 5, 3, 5, 2, 2, 2),
        ),
        cat(
            "Variety",
            ("Pinot Noir", "Cabernet Sauvignon", "Chardonnay", "Sauvignon Blanc", "Riesling", "Syrah", "Malbec",
             "Tempranillo"),
            "grape",
            "varietal",
            weights=(4, 5, 5, 3, 2, 2, 2, 2),
        ),
        cat("Taster", ("A. Moreau", "J. Whitfield", "K. Tanaka", "R. Silva", "L. Bianchi"), "critic", "reviewer",
            weights=(4, 3, 2, 2, 3)),
        num("Points", 80, 100, "score", "rating", mode=88, additive=False),
        num("PriceUSD", 6, 450, "price", "bottle price", step=1, mode=24, by="Country",
            factors=(1.5, 1.2, 0.8, 1.3, 0.6, 0.9, 0.7), phrase="price usd"),
        num("AlcoholPct", 11, 16, "abv", "alcohol", decimals=1, step=0.1, mode=13.5, additive=False,
            phrase="alcohol pct"),
        flag("Organic", "organic", "certified organic", p_true=0.2),
        split="fresh6",
        lacks=("residual sugar", "cellaring potential"),
        lacks_dims=("winery", "closure type"),
    ),
    table(
        "marathon_results",
        "runner",
        "runners",
        620,
        ident("Bib", "{}", 1001),
        day("Race Date", 2021, 3, "race day", "event date"),
        cat(
            "Race",
            ("Lakeshore Marathon", "Harbor City Marathon", "Desert Sun Marathon", "Capital Marathon",
             "Valley Trail Marathon"),
            "event",
            "race name",
            weights=(5, 4, 2, 4, 2),
        ),
        cat("Division", ("Women", "Men", "Non-binary"), "gender", "sex", weights=(45, 52, 3)),
        cat("Age Group", ("18-29", "30-39", "40-49", "50-59", "60+"), "age bracket", "age category",
            weights=(3, 4, 4, 2, 1), ordinal=True),
        cat(
            "Running Club",
            ("Unattached", "City Harriers", "Lakeside Road Runners", "Northside Track Club", "Trail Dogs"),
            "club",
            "team",
            weights=(6, 3, 2, 2, 1),
        ),
        num("Finish Time Min", 140, 420, "finish time", "chip time", mode=255, additive=False, by="Age Group",
            factors=(0.95, 0.97, 1.0, 1.06, 1.15)),
        num("Half Split Min", 65, 230, "half split", "halfway time", derive="Finish Time Min", ratio=(0.44, 0.52),
            additive=False),
        num("Avg Heart Rate", 120, 185, "heart rate", "pulse", mode=152, additive=False),
        num("Charity Raised", 0, 5000, "fundraising", "money raised", step=5, mode=250, zero_rate=0.6),
        flag("First Marathon", "debut", "first-timer", p_true=0.25),
        split="fresh6",
        lacks=("prize money", "shoe mileage"),
        lacks_dims=("coach", "shoe brand"),
    ),
    table(
        "wildfire_incidents",
        "fire",
        "fires",
        460,
        ident("incident_id", "WF-{:05d}", 30001),
        day("discovered_on", 2019, 4, "discovery date", "ignition date", phrase="discovery date"),
        cat(
            "county",
            ("Alder", "Pine Ridge", "Sierra Vista", "Coyote Flats", "Redwood", "Juniper Springs"),
            "jurisdiction",
            weights=(3, 4, 3, 2, 3, 2),
        ),
        cat(
            "cause",
            ("Lightning", "Campfire", "Equipment Use", "Arson", "Power Line", "Debris Burning", "Unknown"),
            "ignition source",
            "fire cause",
            weights=(5, 3, 3, 2, 2, 3, 2),
        ),
        cat("fuel_type", ("Grass", "Brush", "Timber", "Grass and Brush"), "vegetation", "fuel",
            weights=(4, 3, 3, 2)),
        num("acres_burned", 1, 60000, "area burned", "fire size", "acreage", mode=40),
        num("days_to_contain", 1, 90, "containment time", "time to contain", mode=4, additive=False, by="fuel_type",
            factors=(0.6, 0.9, 1.5, 1.0)),
        num("personnel", 5, 2500, "firefighters", "crew size", mode=60),
        num("suppression_cost", 10000, 30000000, "firefighting cost", "cost", step=100, derive="personnel",
            ratio=(2000, 12000)),
        num("structures_lost", 0, 400, "buildings destroyed", "homes lost", mode=2, zero_rate=0.6),
        flag("major_incident", "major", "major fire", p_true=0.15),
        split="fresh6",
        lacks=("wind speed", "air quality index"),
        lacks_dims=("incident commander", "land owner"),
    ),
    table(
        "fishery_landings",
        "landing",
        "landings",
        580,
        day("Landing_Date", 2022, 2, "landed on", "catch date"),
        cat(
            "Port",
            ("Kelp Harbour", "Gannet Bay", "Mullet Point", "Stone Quay", "Saltmarsh Harbour"),
            "harbour",
            "home port",
            weights=(4, 3, 3, 2, 2),
        ),
        cat(
            "Species",
            ("Cod", "Haddock", "Mackerel", "Herring", "Plaice", "Brown Crab", "Lobster", "Squid"),
            "fish",
            "catch species",
            weights=(4, 3, 5, 4, 2, 2, 1, 2),
            plural="species",
        ),
        cat(
            "Gear_Type",
            ("Bottom Trawl", "Gillnet", "Longline", "Pots", "Handline", "Midwater Trawl"),
            "fishing method",
            "gear",
            weights=(4, 2, 2, 3, 1, 2),
        ),
        cat("VesselClass", ("Under 10m", "10-15m", "Over 15m"), "boat size", "vessel size", weights=(5, 3, 2),
            ordinal=True, phrase="vessel class"),
        num("Catch_Kg", 20, 18000, "landed weight", "catch weight", "haul", mode=600, step=5, by="VesselClass",
            factors=(0.5, 1.0, 2.2)),
        num("Value_GBP", 30, 90000, "landed value", "first-sale value", derive="Catch_Kg", ratio=(1.4, 8.0),
            phrase="value gbp"),
        num("Trip_Hours", 2, 240, "time at sea", "trip length", mode=18, additive=False),
        num("Crew_Size", 1, 14, "crew", "deckhands", mode=3, additive=False),
        flag("MSC_Certified", "certified", "sustainably certified", p_true=0.35, phrase="msc certified"),
        split="fresh6",
        lacks=("fuel used", "ice cost"),
        lacks_dims=("skipper", "buyer"),
    ),
    table(
        "street_trees",
        "tree",
        "trees",
        500,
        ident("tree_id", "{}", 88001),
        day("planted_date", 2016, 6, "planting date", "date planted"),
        cat(
            "spc_common",
            ("London Plane", "Red Maple", "Norway Maple", "Pin Oak", "Little-leaf Linden", "Ginkgo", "Honey Locust",
             "Callery Pear"),
            "tree species",
            "kind of tree",
            weights=(5, 3, 3, 4, 3, 2, 3, 2),
            phrase="species",
            plural="species",
        ),
        cat(
            "nta_name",
            ("Ashgrove", "Kingsway", "Brookside", "Millfield", "Harbor Heights", "Cedar Heights"),
            "neighbourhood",
            "neighborhood",
            phrase="neighbourhood",
        ),
        cat("health", ("Good", "Fair", "Poor"), "condition", "tree health", weights=(6, 3, 1), ordinal=True),
        cat("curb_loc", ("OnCurb", "OffsetFromCurb"), "curb location", weights=(8, 2), phrase="curb location"),
        num("tree_dbh", 2, 120, "trunk diameter", "diameter", mode=18, additive=False, phrase="tree dbh"),
        num("height_m", 2, 35, "tree height", "height", decimals=1, step=0.5, mode=9, additive=False),
        num("canopy_m2", 1, 600, "canopy area", "crown spread", mode=40),
        num("annual_benefit_usd", 1, 700, "eco benefit", "yearly benefit", decimals=2, step=0.01,
            derive="canopy_m2", ratio=(0.3, 1.2)),
        flag("heritage_tree", "heritage", "protected", p_true=0.1, phrase="heritage tree"),
        split="fresh6",
        lacks=("root depth", "pruning cost"),
        lacks_dims=("arborist", "soil type"),
    ),
    table(
        "auction_lots",
        "lot",
        "lots",
        480,
        ident("Lot Number", "L{:05d}", 1),
        day("Sale Date", 2022, 2, "auction date", "date of sale"),
        cat(
            "Auction House",
            ("Hartwell & Co", "Bramley Rooms", "Quill Street Auctions", "Northern Salerooms", "Ashby Auctions"),
            "saleroom",
            "auctioneer",
            weights=(4, 3, 3, 2, 2),
        ),
        cat(
            "Category",
            ("Paintings", "Furniture", "Jewellery", "Ceramics", "Books", "Silver", "Clocks", "Prints"),
            "lot type",
            "collecting area",
            weights=(4, 4, 3, 3, 2, 2, 1, 2),
        ),
        cat("Era", ("Georgian", "Victorian", "Edwardian", "Mid-Century", "Contemporary"), "period", "age of piece",
            ordinal=True),
        num("Low Estimate", 50, 40000, "estimate", "pre-sale estimate", mode=600, step=50, by="Category",
            factors=(2.5, 1.2, 1.6, 0.8, 0.5, 1.0, 0.9, 0.6)),
        num("Hammer Price", 20, 150000, "sale price", "winning bid", "price realised", step=10,
            derive="Low Estimate", ratio=(0.4, 3.2)),
        num("Bids", 0, 60, "bid count", "number of bids", mode=6),
        flag("Online Sale", "online", "internet sale", p_true=0.4),
        split="fresh6",
        lacks=("buyer's premium", "shipping cost"),
        lacks_dims=("consignor", "buyer nationality"),
    ),
    # Tables added for the fresh7 round (round 8; trades no older table covers): appended after the fresh6 ones
    # and skipped by every older pass (fresh6's included), so no older case moved. Of the splits older than fresh8
    # only fresh7 asks about them (fresh8 on its own line). Their headers are typed as real exports have them
    # (ALLCAPS from a brewery's batch sheet, camelCase from a practice-management system, units in brackets such as
    # "Weight (kg)"), and their synonyms include the trade's own words ("throughput", "dwell time", "brew length",
    # "mite drop") that a generic lexicon lacks.
    table(
        "pharmacy_dispensing",
        "prescription",
        "prescriptions",
        560,
        ident("Rx_Number", "RX{:06d}", 410001),
        day("Dispense_Date", 2022, 2, "fill date", "dispensing date", phrase="dispense date"),
        cat(
            "Ward",
            ("Cardiology", "Oncology", "ICU", "Paediatrics", "Emergency", "Orthopaedics", "Maternity"),
            "unit",
            "requesting ward",
            weights=(4, 3, 3, 2, 5, 3, 2),
        ),
        cat(
            "Drug_Class",
            ("Antibiotic", "Analgesic", "Anticoagulant", "Antihypertensive", "Insulin", "Antiemetic", "Sedative"),
            "therapeutic class",
            "drug group",
            weights=(5, 6, 3, 3, 2, 2, 2),
            phrase="drug class",
            plural="drug classes",
        ),
        cat("Route", ("Oral", "IV", "IM", "Subcutaneous", "Topical"), "administration route", "route of administration",
            weights=(7, 4, 1, 2, 1)),
        cat("PRIORITY", ("Routine", "Urgent", "STAT"), "urgency", "order priority", weights=(7, 2, 1), ordinal=True),
        num("Qty Dispensed", 1, 120, "doses issued", "units dispensed", "quantity", mode=14),
        num("Unit Cost (GBP)", 0.05, 300, "unit price", "cost per dose", decimals=2, step=0.01, mode=2.5,
            additive=False, by="Drug_Class", factors=(1.0, 0.4, 2.0, 0.6, 3.0, 0.8, 1.2), phrase="unit cost"),
        num("dispenseValueGBP", 0.5, 9000, "drug spend", "issue value", decimals=2, step=0.01,
            derive="Qty Dispensed", ratio=(0.3, 30.0), phrase="dispense value"),
        num("TAT_Min", 3, 240, "turnaround", "turnaround time", mode=40, additive=False, by="PRIORITY",
            factors=(1.0, 0.45, 0.2), phrase="tat min"),
        flag("Controlled_Drug", "controlled", "CD register", "schedule 2", p_true=0.15, phrase="controlled drug"),
        split="fresh7",
        lacks=("rebate", "shelf life"),
        lacks_dims=("prescriber", "wholesaler"),
    ),
    table(
        "port_calls",
        "port call",
        "port calls",
        520,
        ident("CallID", "PC{:05d}", 20001),
        day("ATA", 2021, 3, "actual arrival", "berthing date", phrase="arrival date"),
        cat(
            "Terminal",
            ("North Quay", "Container Terminal 2", "Riverside Berths", "East Pier", "Deepwater Terminal"),
            "berth",
            "quay",
            weights=(3, 5, 2, 2, 4),
        ),
        cat(
            "Carrier",
            ("Maersk", "MSC", "CMA CGM", "Hapag-Lloyd", "COSCO", "ONE", "Evergreen"),
            "shipping line",
            "liner operator",
            weights=(5, 5, 3, 3, 3, 2, 2),
        ),
        cat("Vessel_Type", ("Feeder", "Panamax", "Post-Panamax", "Neo-Panamax", "ULCV"), "ship class", "vessel size",
            weights=(4, 3, 3, 2, 1), ordinal=True),
        cat("Service", ("Asia-Europe", "Transatlantic", "Intra-Asia", "Transpacific", "Med Shuttle"), "trade lane",
            "loop", weights=(4, 3, 3, 3, 2)),
        num("TEU_Moves", 40, 7000, "box moves", "throughput", "container moves", step=5, mode=900, by="Vessel_Type",
            factors=(0.3, 0.7, 1.1, 1.6, 2.4), phrase="teu moves"),
        num("Dwell Hours", 6, 140, "dwell time", "time alongside", "port stay", mode=28, additive=False),
        num("crane_productivity", 14, 42, "crane rate", "moves per crane hour", decimals=1, step=0.1, mode=27,
            additive=False, phrase="crane productivity"),
        num("Port Dues USD", 2000, 250000, "port charges", "harbour dues", step=10, derive="TEU_Moves",
            ratio=(12.0, 35.0), phrase="port dues"),
        num("anchorage_wait_h", 0, 96, "waiting time", "anchorage wait", mode=6, zero_rate=0.35, additive=False,
            phrase="anchorage wait h"),
        flag("Delayed", "delayed", "late arrival", p_true=0.3),
        split="fresh7",
        lacks=("bunker fuel", "demurrage"),
        lacks_dims=("pilot", "flag state"),
    ),
    table(
        "lift_tickets",
        "lift pass",
        "lift passes",
        600,
        ident("PassID", "SK{:06d}", 700001),
        day("Ski Date", 2022, 2, "ski day", "visit date"),
        cat(
            "Resort",
            ("Whistle Peak", "Alpine Meadows", "Snowbird Ridge", "Powder Valley", "Glacier Bowl"),
            "mountain",
            "ski area",
            weights=(5, 4, 3, 3, 2),
        ),
        cat(
            "TicketType",
            ("Day Pass", "Half Day", "Multi-Day Pass", "Season Pass", "Night Skiing"),
            "pass type",
            "ticket product",
            weights=(6, 3, 3, 2, 1),
            phrase="ticket type",
        ),
        cat("Age_Band", ("Child", "Youth", "Adult", "Senior"), "age category", "age bracket", weights=(2, 2, 6, 1),
            ordinal=True),
        cat("Channel", ("Online", "Ticket Window", "Hotel Desk", "Tour Operator"), "sales channel", "point of sale",
            weights=(6, 4, 1, 2)),
        num("Price_EUR", 12, 120, "ticket price", "price paid", decimals=2, step=0.5, mode=55, by="Age_Band",
            factors=(0.5, 0.75, 1.0, 0.8), phrase="price eur"),
        num("LiftRides", 1, 45, "uplifts", "gate scans", "rides", mode=9, phrase="lift rides"),
        num("VerticalMeters", 150, 16000, "vertical", "vert skied", step=10, derive="LiftRides", ratio=(180.0, 420.0),
            phrase="vertical meters"),
        num("Snow Depth cm", 20, 260, "base depth", "snowpack", mode=95, additive=False, phrase="snow depth"),
        flag("Discounted", "discounted", "promo", p_true=0.25),
        split="fresh7",
        lacks=("wind chill", "grooming hours"),
        lacks_dims=("instructor", "home country"),
    ),
    table(
        "vet_visits",
        "appointment",
        "appointments",
        540,
        ident("apptId", "A{:06d}", 100001),
        day("visitDate", 2021, 3, "appointment date", "seen on", phrase="visit date"),
        cat("species", ("Dog", "Cat", "Rabbit", "Horse", "Bird", "Reptile"), "animal", "patient species",
            weights=(10, 8, 2, 2, 1, 1), plural="species"),
        cat(
            "clinic",
            ("Riverside Vets", "Oakfield Animal Hospital", "Meadow Lane Practice", "Harbourview Vets"),
            "practice",
            "branch",
            weights=(4, 3, 3, 2),
        ),
        cat(
            "visitReason",
            ("Vaccination", "Check-up", "Dental", "Lameness", "Skin Problem", "Neutering", "Emergency"),
            "reason for visit",
            "presenting complaint",
            weights=(5, 5, 2, 2, 3, 2, 2),
            phrase="visit reason",
        ),
        cat("vetName", ("Dr Patel", "Dr Hughes", "Dr Okafor", "Dr Lindqvist", "Dr Moreau"), "vet", "attending vet",
            phrase="vet name"),
        num("invoiceTotal", 20, 3000, "bill", "invoice amount", "fees charged", decimals=2, step=0.01, mode=80,
            by="visitReason", factors=(0.6, 0.7, 2.4, 1.3, 1.0, 2.0, 3.2), phrase="invoice total"),
        num("Weight (kg)", 0.1, 650, "body weight", "patient weight", decimals=1, step=0.1, mode=9, additive=False,
            by="species", factors=(1.6, 0.45, 0.2, 20.0, 0.03, 0.3), phrase="weight"),
        num("consultMins", 5, 120, "consult length", "appointment length", mode=15, additive=False,
            phrase="consult mins"),
        flag("insured", "insured", "pet insurance", p_true=0.4),
        split="fresh7",
        lacks=("blood glucose", "kennel nights"),
        lacks_dims=("breed", "owner postcode"),
    ),
    table(
        "brewery_batches",
        "batch",
        "batches",
        470,
        ident("BATCH_NO", "B{:05d}", 2001),
        day("BREW_DATE", 2021, 3, "brew day", "mash-in date", phrase="brew date"),
        cat(
            "BEER_STYLE",
            ("IPA", "Pale Ale", "Stout", "Lager", "Porter", "Sour", "Wheat Beer"),
            "style",
            "recipe style",
            weights=(5, 4, 2, 4, 2, 1, 2),
            phrase="beer style",
        ),
        cat("FERMENTER", ("FV1", "FV2", "FV3", "FV4", "FV5", "FV6"), "fermentation vessel", "tank"),
        cat("BREWER", ("Sam", "Priya", "Tomasz", "Elena"), "head brewer", "brewed by", weights=(4, 3, 3, 2)),
        cat("PACKAGE", ("Keg", "Can", "Bottle", "Cask"), "packaging", "pack format", weights=(5, 4, 2, 2)),
        num("VOLUME_HL", 10, 60, "brew length", "batch size", "hectolitres", mode=30, phrase="volume hl"),
        num("ABV_PCT", 3.2, 11.5, "abv", "strength", decimals=1, step=0.1, mode=5.2, additive=False,
            by="BEER_STYLE", factors=(1.25, 1.0, 1.2, 0.95, 1.1, 0.85, 0.95), phrase="abv pct"),
        num("IBU", 8, 95, "bitterness", "bitterness units", mode=35, additive=False, by="BEER_STYLE",
            factors=(1.7, 1.1, 1.0, 0.6, 0.9, 0.3, 0.4)),
        num("EFFICIENCY_PCT", 60, 92, "brewhouse efficiency", "mash efficiency", decimals=1, step=0.1, mode=78,
            additive=False, phrase="efficiency pct"),
        num("LOSS_LITRES", 0, 450, "shrinkage", "process loss", "wastage", step=1, derive="VOLUME_HL",
            ratio=(1.0, 7.5), phrase="loss litres"),
        flag("QC_HOLD", "held", "quality hold", "on hold", p_true=0.12, phrase="qc hold"),
        split="fresh7",
        lacks=("hop cost", "dissolved oxygen"),
        lacks_dims=("malt supplier", "yeast strain"),
    ),
    table(
        "apiary_inspections",
        "inspection",
        "inspections",
        500,
        ident("Inspection ID", "HV{:05d}", 501),
        day("Inspection Date", 2021, 3, "inspected on", "check date"),
        cat("Apiary", ("Orchard Yard", "Heath Site", "Riverbank", "Rooftop", "Clover Field"), "bee yard", "site",
            weights=(4, 3, 3, 2, 3)),
        cat("Hive Type", ("National", "Langstroth", "Warre", "Top Bar", "Dadant"), "hive design", "box type",
            weights=(5, 4, 1, 2, 2)),
        cat("Queen Status", ("Queenright", "Queenless", "Virgin Queen", "Superseding"), "queen state",
            weights=(9, 1, 1, 1)),
        cat("Temperament", ("Calm", "Nervous", "Defensive"), "temper", "behaviour", weights=(6, 3, 1), ordinal=True),
        num("Frames of Brood", 0, 12, "brood frames", "brood", mode=5, additive=False),
        num("Mite Count", 0, 80, "varroa count", "mite drop", "varroa", mode=4),
        num("Honey Yield (kg)", 0, 45, "honey", "honey crop", "harvest", decimals=1, step=0.1, mode=7, zero_rate=0.3,
            phrase="honey yield"),
        num("Colony Weight (kg)", 15, 80, "hive weight", "scale weight", decimals=1, step=0.1, mode=38, additive=False,
            phrase="colony weight"),
        flag("Treated", "treated", "medicated", p_true=0.35),
        split="fresh7",
        lacks=("pollen load", "nectar flow"),
        lacks_dims=("beekeeper", "bee subspecies"),
    ),
    # Tables added for the fresh8 round (round 9; trades no older table covers: dairy milk recording, a sawmill's
    # log yard, a commercial print shop, a hair salon, a craft bakery's production log, kerbside waste
    # collection): appended after the fresh7 ones and skipped by every older pass (fresh7's included), so no
    # older case moved. Of the splits older than fresh9 only fresh8 asks about them (fresh9 on its own line).
    # Their headers are typed as each trade's software exports them (herd-recording codes such as "SCC" and
    # "DIM", a scaler's snake_case with units, a print MIS's Title Case, a booking app's lower snake_case, a
    # bakery sheet's spaced headers, a fleet system's PascalCase), and their synonyms are the words the trade
    # says instead ("cell count", "board feet", "makeready", "chair time", "stales", "lifts") that a generic
    # lexicon lacks.
    table(
        "milk_recordings",
        "milk test",
        "milk tests",
        560,
        ident("EarTag", "UK{:07d}", 1400001, phrase="ear tag"),
        day("TestDate", 2022, 2, "recording date", "test day", phrase="test date"),
        cat(
            "Breed",
            ("Holstein", "Friesian", "Jersey", "Ayrshire", "Brown Swiss", "Guernsey"),
            "cattle breed",
            "cow breed",
            weights=(7, 4, 4, 2, 1, 1),
        ),
        cat("Herd", ("Home Farm", "Lower Barton", "Hill Top", "Westmoor", "Ashcombe"), "farm", "unit",
            weights=(5, 3, 2, 3, 2)),
        cat("Lactation", ("1st", "2nd", "3rd", "4th+"), "parity", "lactation number", weights=(4, 3, 2, 2),
            ordinal=True),
        cat("Milking", ("Herringbone", "Rotary", "Robotic"), "parlour", "milking system", weights=(4, 3, 2)),
        num("Milk_kg", 4, 62, "milk yield", "daily yield", "yield", decimals=1, step=0.1, mode=29, by="Breed",
            factors=(1.15, 1.0, 0.75, 0.9, 1.0, 0.8), phrase="milk kg"),
        num("Butterfat_Pct", 2.9, 6.4, "butterfat", "fat percentage", decimals=2, step=0.01, mode=4.1,
            additive=False, by="Breed", factors=(0.95, 1.0, 1.25, 1.02, 1.0, 1.18), phrase="butterfat pct"),
        num("Protein_Pct", 2.7, 4.3, "protein", "milk protein", decimals=2, step=0.01, mode=3.3, additive=False,
            phrase="protein pct"),
        num("SCC", 15, 1500, "somatic cell count", "cell count", mode=110, additive=False),
        num("DIM", 5, 420, "days in milk", "stage of lactation", mode=150, additive=False),
        flag("Mastitis", "mastitic", "clinical mastitis", "udder infection", p_true=0.1),
        split="fresh8",
        lacks=("feed intake", "milk price"),
        lacks_dims=("sire", "vet practice"),
    ),
    table(
        "sawmill_logs",
        "log",
        "logs",
        520,
        ident("log_tag", "LG{:06d}", 100001),
        day("scale_date", 2021, 3, "scaling date", "date scaled", phrase="scale date"),
        cat(
            "species",
            ("Douglas Fir", "Western Hemlock", "Sitka Spruce", "Western Red Cedar", "Lodgepole Pine", "Larch"),
            "timber species",
            "wood type",
            weights=(6, 4, 3, 3, 3, 1),
            plural="species",
        ),
        cat("log_grade", ("Peeler", "Sawlog No.1", "Sawlog No.2", "Utility", "Pulp"), "grade", "log quality",
            weights=(1, 3, 4, 2, 2), ordinal=True, phrase="log grade"),
        cat(
            "supplier",
            ("Kettle Ridge Woodlot", "Bear Creek Forestry", "Crown Block 14", "Millar Timber Co",
             "Eagle Valley Logging"),
            "logging contractor",
            "woodlot",
            weights=(3, 4, 2, 3, 2),
        ),
        cat("headrig", ("Band Mill A", "Band Mill B", "Chipper Canter", "Scragg Mill"), "saw line", "mill line",
            weights=(4, 4, 3, 1)),
        num("gross_scale_m3", 0.2, 6.5, "log volume", "scaled volume", decimals=2, step=0.01, mode=1.1,
            by="log_grade", factors=(2.2, 1.4, 1.0, 0.8, 0.6), phrase="gross scale"),
        num("lumber_fbm", 40, 2600, "board feet", "lumber tally", "lumber out", derive="gross_scale_m3",
            ratio=(230, 420), phrase="lumber fbm"),
        num("sed_cm", 12, 90, "small-end diameter", "top diameter", mode=28, additive=False, phrase="sed cm"),
        num("recovery_pct", 35, 72, "lumber recovery", "recovery factor", decimals=1, step=0.1, mode=55,
            additive=False, by="headrig", factors=(1.0, 1.0, 0.85, 0.9), phrase="recovery pct"),
        num("saw_minutes", 1, 25, "saw time", "time on the saw", mode=5, phrase="saw minutes"),
        flag("rot_cull", "culled", "rot", "cull", p_true=0.1, phrase="rot cull"),
        split="fresh8",
        lacks=("stumpage fee", "moisture content"),
        lacks_dims=("faller", "haul truck"),
    ),
    table(
        "print_jobs",
        "job",
        "jobs",
        480,
        ident("Job No", "J{:05d}", 24001),
        day("Due Date", 2022, 2, "delivery date", "ship date"),
        cat(
            "Press",
            ("Heidelberg XL 106", "Komori GL40", "HP Indigo 12000", "Xerox Iridesse", "Roland 700"),
            "machine",
            "printing press",
            weights=(4, 3, 5, 2, 2),
        ),
        cat(
            "Product",
            ("Brochures", "Business Cards", "Flyers", "Posters", "Booklets", "Labels", "Cartons"),
            "product type",
            "job type",
            weights=(4, 3, 5, 2, 3, 2, 1),
        ),
        cat(
            "Stock",
            ("Silk 150gsm", "Gloss 170gsm", "Uncoated 120gsm", "Board 350gsm", "Recycled 100gsm"),
            "paper",
            "substrate",
            weights=(5, 3, 3, 2, 2),
        ),
        cat(
            "Finishing",
            ("Trim Only", "Laminated", "Saddle Stitched", "Perfect Bound", "Die Cut", "Folded"),
            "finish",
            "post-press",
            weights=(5, 2, 2, 1, 1, 3),
        ),
        num("Run Length", 50, 60000, "print run", "copies", "quantity", mode=2500, step=50),
        num("Impressions", 50, 240000, "clicks", "impression count", derive="Run Length", ratio=(1.0, 4.0)),
        num("Makeready Mins", 5, 180, "makeready", "setup time", mode=35, by="Press",
            factors=(1.3, 1.2, 0.4, 0.45, 1.25)),
        num("Spoilage Pct", 0.5, 18, "spoilage", "waste rate", decimals=1, step=0.1, mode=4, additive=False,
            phrase="spoilage pct"),
        num("Job Value", 60, 48000, "job price", "invoice value", decimals=2, step=0.01, derive="Run Length",
            ratio=(0.15, 1.8)),
        flag("Rush", "rush", "hot job", "same-day", p_true=0.2),
        split="fresh8",
        lacks=("ink coverage", "plate count"),
        lacks_dims=("sales rep", "client industry"),
    ),
    table(
        "salon_appointments",
        "appointment",
        "appointments",
        600,
        ident("ticket_id", "T{:06d}", 500001),
        day("appt_date", 2022, 2, "appointment date", "visit date", phrase="appointment date"),
        cat("salon", ("Mayfair", "Shoreditch", "Clapham", "Islington"), "branch", "salon location",
            weights=(3, 4, 3, 2)),
        cat("stylist", ("Jess", "Marco", "Aisha", "Tom", "Leonie", "Kwame"), "hairdresser", "stylist name",
            weights=(4, 3, 4, 2, 3, 2)),
        cat(
            "service",
            ("Cut & Finish", "Full Colour", "Balayage", "Highlights", "Blow Dry", "Keratin Treatment", "Gents Cut"),
            "treatment",
            "service type",
            weights=(6, 3, 2, 3, 4, 1, 4),
        ),
        cat("client_type", ("New", "Returning", "VIP"), "customer type", "client status", weights=(2, 7, 1),
            phrase="client type"),
        num("chair_time_min", 15, 240, "chair time", "appointment length", mode=55, additive=False, by="service",
            factors=(1.0, 1.8, 2.6, 2.0, 0.7, 2.4, 0.6), phrase="chair time min"),
        num("service_total", 12, 480, "ticket total", "bill", "service revenue", decimals=2, step=0.5, mode=55,
            by="service", factors=(1.0, 1.7, 2.8, 2.1, 0.7, 3.0, 0.5), phrase="service total"),
        num("retail_sales", 0, 160, "retail", "product sales", decimals=2, step=0.5, mode=12, zero_rate=0.55,
            phrase="retail sales"),
        num("tip", 0, 60, "gratuity", "tips", decimals=2, step=0.5, mode=6, zero_rate=0.2),
        flag("rebooked", "rebooked", "pre-booked", "rebook", p_true=0.45),
        split="fresh8",
        lacks=("product cost", "commission"),
        lacks_dims=("hair length", "loyalty tier"),
    ),
    table(
        "bakery_bakes",
        "bake",
        "bakes",
        500,
        day("Bake Date", 2023, 1, "production date", "baked on"),
        cat(
            "Product",
            ("Sourdough", "Baguette", "Croissant", "Rye Loaf", "Brioche", "Bagel", "Focaccia"),
            "bake item",
            "line",
            weights=(5, 4, 5, 2, 2, 3, 2),
        ),
        cat("Oven", ("Deck Oven 1", "Deck Oven 2", "Rack Oven", "Tunnel Oven"), "deck", "oven used",
            weights=(3, 3, 4, 2)),
        cat("Shift", ("Night", "Early", "Day"), "bake shift", "crew shift", weights=(5, 3, 2), ordinal=True),
        cat("Outlet", ("Wholesale", "Market Stall", "Shop Counter", "Cafe"), "channel", "sold through",
            weights=(5, 2, 4, 2)),
        num("Dough Kg", 5, 220, "dough weight", "mix size", decimals=1, step=0.5, mode=40),
        num("Units Baked", 20, 2400, "bake count", "pieces", "output", derive="Dough Kg", ratio=(4, 12)),
        num("Unsold Units", 0, 300, "stales", "leftovers", "unsold", mode=15, zero_rate=0.15),
        num("Proof Mins", 30, 960, "proofing time", "prove", mode=110, additive=False, by="Product",
            factors=(3.5, 1.0, 1.2, 1.8, 1.1, 0.7, 0.9)),
        num("Bake Temp C", 180, 260, "oven temperature", "bake temp", mode=220, additive=False),
        flag("Rejected", "rejected", "qc fail", "binned", p_true=0.08),
        split="fresh8",
        lacks=("flour cost", "energy use"),
        lacks_dims=("flour mill", "head baker"),
    ),
    table(
        "waste_collections",
        "collection run",
        "collection runs",
        540,
        ident("RunID", "R{:05d}", 70001, phrase="run id"),
        day("CollectionDate", 2021, 3, "collection day", "pickup date", phrase="collection date"),
        cat(
            "Stream",
            ("Residual", "Dry Recycling", "Glass", "Food Waste", "Garden Waste"),
            "material stream",
            "waste stream",
            weights=(5, 4, 2, 3, 2),
        ),
        cat("Depot", ("Northgate", "Riverside", "Eastfield", "Southmead"), "yard", "base depot",
            weights=(4, 3, 3, 2)),
        cat("VehicleType", ("26t RCV", "18t RCV", "Kerbsider", "Caged Tipper"), "truck type", "vehicle",
            weights=(5, 3, 3, 1), phrase="vehicle type"),
        cat("Crew", ("Crew A", "Crew B", "Crew C", "Crew D", "Crew E"), "team", "gang"),
        num("Tonnage", 0.5, 14, "tonnes collected", "weight collected", "tonnes", decimals=2, step=0.01, mode=6,
            by="Stream", factors=(1.3, 0.8, 1.1, 0.7, 0.9)),
        num("BinLifts", 150, 1600, "lifts", "bins emptied", mode=850, phrase="bin lifts"),
        num("ContaminationPct", 0, 35, "contamination", "reject rate", decimals=1, step=0.1, mode=8, additive=False,
            phrase="contamination pct"),
        num("FuelLitres", 20, 160, "diesel", "fuel burned", decimals=1, step=0.1, mode=70, phrase="fuel litres"),
        num("RouteHours", 4, 11, "hours on route", "shift length", decimals=1, step=0.1, mode=7.5, additive=False,
            phrase="route hours"),
        flag("Incomplete", "incomplete", "unfinished", "missed bins", p_true=0.12),
        split="fresh8",
        lacks=("gate fee", "landfill tax"),
        lacks_dims=("driver", "council ward"),
    ),
    # Tables added for the fresh9 round (round 10; trades no older table covers: a garage's workshop job cards, a
    # locksmith's call-outs, a quarry's weighbridge tickets, a driving school's lessons, a tattoo studio's
    # sessions, a plant nursery's sowing log): appended after the fresh8 ones and skipped by every older pass
    # (fresh8's included), so no older case moved. Only fresh9 questions are asked on them. Their headers are
    # typed as each trade's software exports them (a garage system's PascalCase with units glued on such as
    # "LabourHrs" and "PartsGBP", a job-sheet app's lower snake_case, a weighbridge printout's Title Case with
    # units in brackets such as "Net (t)" and "Rate/t (GBP)", a booking app's camelCase, a studio diary's short
    # words, a propagation sheet's ALLCAPS codes), and their synonyms are what the trade says instead ("sold
    # hours", "miles on the clock", "time to attend", "payload", "minors", "time under the needle", "germ
    # rate") that a generic lexicon lacks.
    table(
        "garage_jobcards",
        "job",
        "jobs",
        540,
        ident("JobCardNo", "JC{:06d}", 310001, phrase="job card no"),
        day("DateIn", 2021, 3, "booked-in date", "drop-off date", phrase="date in"),
        cat(
            "Make",
            ("Ford", "Vauxhall", "Volkswagen", "BMW", "Toyota", "Nissan", "Peugeot"),
            "marque",
            "manufacturer",
            weights=(6, 5, 4, 2, 3, 3, 2),
        ),
        cat(
            "WorkType",
            ("Full Service", "Interim Service", "MOT", "Tyres", "Brakes", "Clutch", "Diagnostics"),
            "job type",
            "type of work",
            weights=(4, 3, 5, 4, 3, 1, 2),
            phrase="work type",
        ),
        cat("Technician", ("Dave", "Kerry", "Marek", "Sunil", "Gaz"), "mechanic", "tech", weights=(4, 3, 4, 3, 2)),
        cat("Bay", ("Bay 1", "Bay 2", "Bay 3", "Bay 4", "Fast Fit Lane"), "ramp", "workshop bay",
            weights=(3, 3, 3, 2, 4)),
        cat("CustType", ("Retail", "Fleet", "Warranty", "Trade"), "customer type", "account type",
            weights=(7, 3, 1, 2)),
        num("LabourHrs", 0.3, 9, "labour hours", "sold hours", "book time", decimals=1, step=0.1, mode=1.4,
            by="WorkType", factors=(1.6, 1.0, 0.6, 0.5, 1.3, 3.0, 0.9), phrase="labour hrs"),
        num("PartsGBP", 0, 1400, "parts", "parts cost", "parts spend", decimals=2, step=0.01, mode=55,
            zero_rate=0.12, by="WorkType", factors=(1.2, 0.8, 0.2, 2.2, 2.0, 4.0, 0.3), phrase="parts gbp"),
        num("InvoiceGBP", 30, 2600, "invoice total", "bill", "job value", decimals=2, step=0.01, derive="LabourHrs",
            ratio=(90, 210), phrase="invoice gbp"),
        num("Mileage", 800, 190000, "odometer reading", "miles on the clock", mode=62000, additive=False),
        num("DaysOnSite", 0, 12, "days off the road", "time in the workshop", mode=1, zero_rate=0.25,
            additive=False, phrase="days on site"),
        flag("Comeback", "comeback", "return job", "redo", p_true=0.08),
        split="fresh9",
        lacks=("oil used", "customer satisfaction"),
        lacks_dims=("service advisor", "fuel type"),
    ),
    table(
        "locksmith_callouts",
        "call-out",
        "call-outs",
        500,
        ident("job_ref", "LS{:05d}", 40001),
        day("callout_date", 2022, 2, "call-out date", "date attended"),
        cat(
            "job_type",
            ("Lockout", "Lock Change", "Lock Repair", "Burglary Repair", "Key Cutting", "Safe Opening",
             "uPVC Mechanism"),
            "call-out type",
            "service",
            weights=(6, 4, 3, 2, 2, 1, 3),
        ),
        cat("property", ("Residential", "Commercial", "Automotive"), "premises", "property type", weights=(7, 3, 2)),
        cat("postcode_area", ("LS1", "LS6", "LS8", "LS11", "LS17", "BD1"), "postcode district", "patch",
            weights=(3, 4, 3, 2, 2, 1)),
        cat("engineer", ("Craig", "Nadia", "Owen", "Priti", "Stu"), "locksmith", "technician",
            weights=(4, 3, 3, 3, 2)),
        cat(
            "lock_type",
            ("Euro Cylinder", "Mortice", "Nightlatch", "Multipoint", "Padlock", "Car Lock"),
            "lock fitted",
            "mechanism type",
            weights=(6, 4, 3, 3, 1, 2),
        ),
        num("response_mins", 8, 180, "response time", "time to attend", mode=35, additive=False),
        num("on_site_mins", 5, 300, "time on site", "minutes on site", mode=40, by="job_type",
            factors=(0.6, 1.0, 1.3, 2.4, 0.5, 2.2, 1.4)),
        num("labour_gbp", 45, 480, "call-out charge", "labour charge", decimals=2, step=0.5, derive="on_site_mins",
            ratio=(1.2, 2.4)),
        num("parts_gbp", 0, 350, "hardware", "materials", decimals=2, step=0.01, mode=30, zero_rate=0.3,
            by="job_type", factors=(0.2, 2.0, 1.0, 2.2, 0.4, 0.1, 1.6)),
        flag("out_of_hours", "out-of-hours", "emergency", "after-hours", p_true=0.3),
        split="fresh9",
        lacks=("customer rating", "fuel cost"),
        lacks_dims=("insurer", "lock brand"),
    ),
    table(
        "weighbridge_tickets",
        "load",
        "loads",
        580,
        ident("Ticket No", "WB{:06d}", 880001),
        day("Ticket Date", 2021, 3, "weighing date", "dispatch date"),
        cat(
            "Product",
            ("Type 1 MOT", "20mm Clean", "10mm Clean", "40mm Clean", "Scalpings", "Sharp Sand", "Building Sand",
             "Quarry Dust"),
            "material",
            "aggregate",
            weights=(6, 4, 3, 2, 3, 3, 3, 2),
        ),
        cat(
            "Haulier",
            ("Own Fleet", "J Bradley Haulage", "Dalton Tippers", "Customer Collect", "Moorside Transport"),
            "transport firm",
            "carrier",
            weights=(5, 3, 3, 2, 3),
        ),
        cat("Vehicle Type", ("8 Wheeler", "6 Wheeler", "Artic", "Tractor & Trailer", "Grab Lorry"), "wagon",
            "truck type", weights=(6, 3, 3, 1, 2)),
        cat("Site", ("Hollins Quarry", "Black Rock Quarry", "Fell End Pit"), "quarry", "pit", weights=(4, 3, 2)),
        num("Net (t)", 1.5, 30, "tonnage", "nett weight", "payload", decimals=2, step=0.02, mode=18,
            by="Vehicle Type", factors=(1.0, 0.7, 1.3, 0.55, 0.5), phrase="net tonnes"),
        num("Tare (t)", 6, 21, "unladen weight", "empty weight", decimals=2, step=0.02, mode=12, additive=False,
            by="Vehicle Type", factors=(1.0, 0.8, 1.2, 0.9, 1.05), phrase="tare"),
        num("Rate/t (GBP)", 6, 42, "price per tonne", "unit rate", decimals=2, step=0.05, mode=16, additive=False,
            by="Product", factors=(0.9, 1.3, 1.4, 1.2, 0.7, 1.1, 1.15, 0.6), phrase="rate per tonne"),
        num("Load Value (GBP)", 15, 1500, "ticket value", "sale value", decimals=2, step=0.01, derive="Net (t)",
            ratio=(9, 40), phrase="load value"),
        num("Turnaround (min)", 5, 95, "turnaround time", "time in the yard", mode=22, additive=False,
            phrase="turnaround"),
        flag("Cash Sale", "cash", "cash customer", "cash job", p_true=0.22),
        split="fresh9",
        lacks=("haul distance", "diesel used"),
        lacks_dims=("driver", "delivery postcode"),
    ),
    table(
        "driving_lessons",
        "lesson",
        "lessons",
        560,
        ident("lessonId", "DL{:06d}", 120001),
        day("lessonDate", 2022, 2, "lesson day", "date of lesson"),
        cat("instructor", ("Bev", "Raj", "Colin", "Amira", "Dean", "Sophie"), "ADI", "driving instructor",
            weights=(4, 4, 3, 3, 2, 2)),
        cat("gearbox", ("Manual", "Automatic"), "transmission", "manual or auto", weights=(6, 4)),
        cat(
            "lessonType",
            ("Standard", "Motorway", "Mock Test", "Refresher", "Pass Plus", "Test Day", "Intensive"),
            "session type",
            "lesson format",
            weights=(10, 2, 3, 2, 1, 2, 2),
        ),
        cat("testCentre", ("Hendon", "Mill Hill", "Wood Green", "Borehamwood", "Barnet"), "DTC",
            "driving test centre", weights=(4, 3, 3, 2, 3)),
        cat("pupilStage", ("Beginner", "Intermediate", "Test Ready"), "learner stage", "pupil level",
            weights=(4, 4, 3), ordinal=True),
        num("durationMins", 60, 180, "minutes taught", "lesson minutes", choices=(60, 90, 120, 180)),
        num("feeGBP", 30, 260, "lesson price", "fee paid", "takings", decimals=2, step=0.5, derive="durationMins",
            ratio=(0.5, 0.8)),
        num("milesDriven", 4, 140, "distance driven", "mileage", decimals=1, step=0.1, derive="durationMins",
            ratio=(0.15, 0.6)),
        num("drivingFaults", 0, 25, "minors", "minor faults", mode=5, additive=False),
        flag("lateCancel", "late-cancelled", "short-notice cancellation", "late cancellation", p_true=0.09),
        split="fresh9",
        lacks=("pupil age", "fuel cost"),
        lacks_dims=("car model", "pupil postcode"),
    ),
    table(
        "tattoo_sessions",
        "session",
        "sessions",
        480,
        ident("Booking Ref", "TB{:05d}", 3001),
        day("Session Date", 2021, 3, "sitting date", "appointment date"),
        cat("Artist", ("Mika", "Lou", "Dante", "Rosa", "Jin"), "tattooist", "tattoo artist", weights=(4, 3, 3, 4, 2)),
        cat(
            "Style",
            ("Traditional", "Neo-Traditional", "Blackwork", "Fine Line", "Realism", "Japanese", "Lettering"),
            "tattoo style",
            "genre",
            weights=(4, 2, 4, 5, 2, 2, 3),
        ),
        cat(
            "Placement",
            ("Forearm", "Upper Arm", "Back", "Leg", "Ribs", "Hand", "Neck"),
            "body part",
            "where on the body",
            weights=(6, 4, 2, 4, 2, 2, 1),
        ),
        cat("Design", ("Custom", "Flash", "Cover-up", "Touch-up"), "piece type", "design type", weights=(6, 3, 1, 2)),
        cat("Ink", ("Black & Grey", "Full Colour", "Single Colour"), "ink type", "palette", weights=(6, 3, 2)),
        num("Hours", 0.5, 8, "hours tattooed", "time under the needle", "needle time", decimals=1, step=0.5,
            mode=2.5, by="Design", factors=(1.3, 0.6, 1.6, 0.4)),
        num("Price", 60, 1800, "session price", "charge", "takings", step=10, derive="Hours", ratio=(90, 160)),
        num("Deposit", 0, 200, "booking deposit", "deposit paid", step=10, mode=50, zero_rate=0.15),
        num("Size (cm)", 2, 60, "design size", "piece size", mode=12, additive=False, by="Placement",
            factors=(1.0, 1.2, 2.5, 1.6, 1.4, 0.5, 0.6), phrase="size"),
        flag("Walk-in", "walk-in", "walk-in client", "no booking", p_true=0.18),
        split="fresh9",
        lacks=("aftercare sales", "healing time"),
        lacks_dims=("referral source", "client postcode"),
    ),
    table(
        "nursery_sowings",
        "sowing",
        "sowings",
        520,
        ident("LOT", "L{:05d}", 10001),
        day("SOWN", 2023, 1, "sow date", "date sown", phrase="sowing date"),
        cat(
            "CROP",
            ("Tomato", "Pepper", "Lettuce", "Basil", "Cucumber", "Petunia", "Geranium", "Marigold"),
            "plant",
            "plant type",
            weights=(5, 3, 4, 3, 2, 4, 2, 3),
        ),
        cat("TRAY", ("84 Cell", "104 Cell", "150 Cell", "Seed Tray", "9cm Pot"), "module size", "tray size",
            weights=(4, 3, 3, 2, 2)),
        cat("HOUSE", ("GH1", "GH2", "GH3", "Poly Tunnel", "Prop Room"), "glasshouse", "greenhouse",
            weights=(4, 3, 3, 2, 2)),
        cat("MEDIUM", ("Peat-Free", "Coir", "Rockwool", "Vermiculite Mix"), "compost", "growing medium",
            weights=(6, 3, 2, 1)),
        cat("GROWER", ("Hannah", "Ollie", "Bea", "Kofi"), "propagator", "sown by", weights=(4, 3, 3, 2)),
        num("SEEDS", 80, 6000, "seeds sown", "seed count", mode=700, step=10),
        num("GERM_PCT", 35, 99, "germination rate", "germ rate", decimals=1, step=0.1, mode=85, additive=False,
            by="CROP", factors=(1.0, 0.9, 1.05, 0.95, 1.0, 0.85, 0.8, 1.02), phrase="germ pct"),
        num("SALEABLE", 20, 5800, "saleable plugs", "plugs out", "saleable plants", derive="SEEDS",
            ratio=(0.45, 0.95)),
        num("DAYS_TO_GERM", 2, 21, "days to germination", "emergence time", mode=6, additive=False,
            phrase="days to germ"),
        num("HEAT_C", 14, 28, "bench temperature", "bottom heat", decimals=1, step=0.5, mode=21, additive=False,
            phrase="heat c"),
        flag("DAMPED_OFF", "damped-off", "damping off", "damping-off", p_true=0.1, phrase="damped off"),
        split="fresh9",
        lacks=("water usage", "sale price"),
        lacks_dims=("seed supplier", "customer"),
    ),
]


def _factor_map(col: ColumnSpec, by_col: ColumnSpec, rng: random.Random) -> dict[str, float]:
    """Per-category multipliers so a measure differs between groups (charts then have a story)."""
    if col.factors and len(col.factors) == len(by_col.values):
        return dict(zip(by_col.values, col.factors, strict=True))
    return {v: rng.uniform(0.7, 1.4) for v in by_col.values}


def _round(col: ColumnSpec, value: float) -> float | int:
    value = min(max(value, col.low), col.high)
    value = round(value / col.step) * col.step
    if col.decimals == 0:
        return round(value)
    return round(value, col.decimals)


def generate_rows(spec: TableSpec) -> list[dict[str, Any]]:
    """The rows of one table, deterministic from the table's seed; sorted by date when it has one."""
    rng = random.Random(spec.seed)
    factors: dict[str, dict[str, float]] = {}
    for col in spec.columns:
        if col.kind == "measure" and col.by:
            factors[col.name] = _factor_map(col, spec.column(col.by), rng)
    rows: list[dict[str, Any]] = []
    for _ in range(spec.rows):
        row: dict[str, Any] = {}
        # Categories first: measures may depend on them.
        for col in spec.columns:
            if col.kind == "category":
                weights = list(col.weights) if col.weights else None
                row[col.name] = rng.choices(col.values, weights=weights)[0]
            elif col.kind == "flag":
                row[col.name] = rng.random() < col.p_true
        for col in spec.columns:
            if col.kind == "measure":
                row[col.name] = _measure(col, row, factors.get(col.name), rng)
            elif col.kind == "date":
                first = date(col.start_year, 1, 1)
                last = date(col.start_year + col.years - 1, 12, 31)
                row[col.name] = first + timedelta(days=rng.randint(0, (last - first).days))
        rows.append(row)
    date_col = spec.date
    if date_col is not None:
        rows.sort(key=lambda r: r[date_col.name])
    for col in spec.of_kind("id"):
        for i, row in enumerate(rows):
            row[col.name] = col.id_format.format(col.id_start + i) if col.id_format != "{}" else col.id_start + i
    return [{c.name: row[c.name] for c in spec.columns} for row in rows]


def _measure(col: ColumnSpec, row: dict[str, Any], factor: dict[str, float] | None, rng: random.Random) -> float | int:
    if col.choices:
        # Skewed towards the small buckets, as install counts are.
        weights = [1.0 / (i + 1) ** 0.6 for i in range(len(col.choices))]
        return int(rng.choices(col.choices, weights=weights)[0])
    if col.zero_rate and rng.random() < col.zero_rate:
        return _round(col, 0.0)
    if col.derive:
        value = float(row[col.derive]) * rng.uniform(*col.ratio)
    else:
        mode = col.mode if col.mode is not None else (col.low + col.high) / 2
        value = rng.triangular(col.low, col.high, mode)
        if mode < col.low + (col.high - col.low) * 0.15:
            # Long right tail (amounts, counts): square a uniform draw towards the mode.
            value = col.low + (mode - col.low) * 2 * rng.random() + (col.high - col.low) * rng.random() ** 6
    if factor is not None and col.by:
        value *= factor[row[col.by]]
    return _round(col, value)


def _cell(value: Any, col: ColumnSpec) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.{col.decimals}f}"
    return str(value)


def write_tables(out_dir: Path) -> dict[str, Path]:
    """Write every table as `<stem>.csv` under out_dir (same bytes every time); returns stem -> path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for spec in TABLES:
        path = out_dir / f"{spec.stem}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([c.name for c in spec.columns])
            for row in generate_rows(spec):
                writer.writerow([_cell(row[c.name], c) for c in spec.columns])
        paths[spec.stem] = path
    return paths
