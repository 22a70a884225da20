"""Northwind Group's learning portfolio: the products, their stories and contracts.

Each product is written so a learning leader would recognise its story in the
dashboard (idle licences, a flagship with strong evidence, a popular but
unproven app, a product to sunset...). Budgets, usage and outcomes that make
the stories come true live in `budgets`, `usage`, `libraries`, `compliance`
and `outcomes`; the names below are the keys that tie them together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sample_data.staff import Person
from sample_data.timeline import Timeline

__all__ = [
    "COACHING",
    "COMPLIANCE",
    "DATA_LITERACY",
    "EXCEL",
    "LANGUAGES",
    "LEADERSHIP",
    "LINKEDIN",
    "MANAGER_ESSENTIALS",
    "MENTORING",
    "ONBOARDING",
    "PILOT",
    "SALES",
    "SERVICE",
    "SKILLS_MARKETPLACE",
    "TECH_LIBRARY",
    "WELLBEING",
    "ContractTerm",
    "ProductSpec",
    "contract_terms",
    "product_specs",
]

LINKEDIN = "LinkedIn Learning"
TECH_LIBRARY = "Udemy Tech Skills"
LEADERSHIP = "Leading at Northwind"
ONBOARDING = "Onboarding Academy"
SALES = "Sales Academy"
COACHING = "Pocketwise Coaching App"
PILOT = "AI at Work Pilot"
EXCEL = "Excel Classroom Courses"
COMPLIANCE = "Code of Conduct & Data Protection"
DATA_LITERACY = "Data Literacy Bootcamp"
MANAGER_ESSENTIALS = "Manager Essentials"
WELLBEING = "Wellbeing & Resilience Workshops"
SERVICE = "Customer Service Academy"
MENTORING = "Mentoring Circles"
LANGUAGES = "Language Learning App"
SKILLS_MARKETPLACE = "Skills Marketplace"

# Seats and price of a seat for the whole (calendar-year) term, per budget year.
_CONTRACTS: dict[str, tuple[str, tuple[int, int], tuple[int, int]]] = {
    LINKEDIN: ("LinkedIn Learning", (1500, 1500), (11000, 11500)),
    TECH_LIBRARY: ("Udemy Business", (300, 360), (30000, 29000)),
    COMPLIANCE: ("Cornerstone", (4200, 4200), (1700, 1750)),
    COACHING: ("Pocketwise", (1000, 1400), (11400, 10800)),
    LANGUAGES: ("Babbel for Business", (150, 150), (9500, 9800)),
}


@dataclass(frozen=True)
class ProductSpec:
    """One row of products.csv, plus the story it is there to tell.

    Attributes
    ----------
    vendor : str
        Empty for in-house products; otherwise unique across the portfolio so a
        vendor report routes to exactly one product.
    story : str
        One sentence for the README: what a leader should see in the dashboard.
    """

    product: str
    category: str
    vendor: str
    owner: str
    sponsor: str
    target_audience: str
    target_audience_size: int
    lifecycle_stage: str
    business_goal: str
    strategic_fit: int
    business_problem: str
    core: bool
    story: str


@dataclass(frozen=True)
class ContractTerm:
    """One calendar-year licence term; money in pence (price of one seat for the term)."""

    product: str
    vendor: str
    year: int
    seats: int
    price_per_seat_pence: int

    @property
    def total_pence(self) -> int:
        """Seats x price: what the licence line of the budget carries."""
        return self.seats * self.price_per_seat_pence


def contract_terms(timeline: Timeline) -> list[ContractTerm]:
    """The licence contracts in force in the two budget years."""
    terms = []
    for product, (vendor, seats, prices) in _CONTRACTS.items():
        for i, year in enumerate(timeline.years):
            terms.append(ContractTerm(product, vendor, year, seats[i], prices[i]))
    return terms


def product_specs(staff: list[Person], timeline: Timeline) -> list[ProductSpec]:
    """The sixteen products, with audience sizes counted from the current staff list."""
    current = [p for p in staff if p.employed_on(timeline.as_of)]
    units = Counter(p.org_unit for p in current)
    office = sum(units[u] for u in ("Sales", "Engineering", "Finance", "Marketing", "HR", "Legal"))
    managers = sum(p.is_manager for p in current)
    vendor = {product: spec[0] for product, spec in _CONTRACTS.items()}
    return [
        ProductSpec(
            product=LINKEDIN,
            category="content_library",
            vendor=vendor[LINKEDIN],
            owner="Tom Adeyemi",
            sponsor="Chief People Officer",
            target_audience="Office-based staff",
            target_audience_size=office,
            lifecycle_stage="mature",
            business_goal="Build future skills",
            strategic_fit=3,
            business_problem=(
                "Staff need on-demand business and professional skills without a course for "
                "every need."
            ),
            core=False,
            story=(
                "1,500 seats renewed at a higher price while only about a third are used: idle "
                "spend of over £100k a year."
            ),
        ),
        ProductSpec(
            product=TECH_LIBRARY,
            category="content_library",
            vendor=vendor[TECH_LIBRARY],
            owner="Priya Nair",
            sponsor="CTO",
            target_audience="Engineering",
            target_audience_size=units["Engineering"],
            lifecycle_stage="growth",
            business_goal="Build digital and data skills",
            strategic_fit=4,
            business_problem=(
                "Engineers must keep up with cloud, data and security skills faster than "
                "classroom courses allow."
            ),
            core=False,
            story=(
                "Healthy library: over 80% of seats active, so seats were added for the second "
                "year."
            ),
        ),
        ProductSpec(
            product=LEADERSHIP,
            category="programme",
            vendor="",
            owner="Sofia Marin",
            sponsor="Chief People Officer",
            target_audience="People managers",
            target_audience_size=managers,
            lifecycle_stage="mature",
            business_goal="Retain and grow our talent",
            strategic_fit=5,
            business_problem=(
                "Regretted attrition was highest in teams whose managers had no leadership "
                "development."
            ),
            core=True,
            story=(
                "Flagship: regretted leavers in participants' teams fall by a third; benefits "
                "are well above cost (ROI clearly positive)."
            ),
        ),
        ProductSpec(
            product=ONBOARDING,
            category="academy",
            vendor="",
            owner="Daniel Okafor",
            sponsor="COO",
            target_audience="New joiners",
            target_audience_size=250,
            lifecycle_stage="mature",
            business_goal="Faster time to productivity",
            strategic_fit=4,
            business_problem=(
                "New joiners took over three months to work without close supervision."
            ),
            core=True,
            story=(
                "Joiners reach proficiency about three weeks sooner; the benefit roughly pays "
                "for the academy (break-even)."
            ),
        ),
        ProductSpec(
            product=SALES,
            category="programme",
            vendor="",
            owner="Raj Patel",
            sponsor="Chief Revenue Officer",
            target_audience="Sales team",
            target_audience_size=units["Sales"],
            lifecycle_stage="growth",
            business_goal="Grow revenue",
            strategic_fit=5,
            business_problem=(
                "Win rates on qualified opportunities lagged the market for two years."
            ),
            core=True,
            story=(
                "Built in the first year (negative ROI while it was being built), win rate up "
                "and paying back in the second."
            ),
        ),
        ProductSpec(
            product=COACHING,
            category="coaching",
            vendor=vendor[COACHING],
            owner="Tom Adeyemi",
            sponsor="Chief People Officer",
            target_audience="All employees",
            target_audience_size=len(current),
            lifecycle_stage="growth",
            business_goal="Retain and grow our talent",
            strategic_fit=3,
            business_problem=(
                "Staff want help with everyday challenges between formal programmes."
            ),
            core=False,
            story=(
                "Popular but unproven: about 900 active users, then over 1,200, and an NPS "
                "near +60, but no evidence of application or impact."
            ),
        ),
        ProductSpec(
            product=PILOT,
            category="programme",
            vendor="",
            owner="Hannah Clarke",
            sponsor="CFO",
            target_audience="Pilot group (volunteers)",
            target_audience_size=40,
            lifecycle_stage="pilot",
            business_goal="Adopt AI safely and productively",
            strategic_fit=4,
            business_problem=(
                "Teams are adopting generative AI tools without shared skills or safe-use habits."
            ),
            core=False,
            story=(
                "Started about two months ago: a few weeks of usage and one small survey (too "
                "early to judge)."
            ),
        ),
        ProductSpec(
            product=EXCEL,
            category="other",
            vendor="Acumen Training Ltd",
            owner="Hannah Clarke",
            sponsor="CFO",
            target_audience="Spreadsheet-heavy roles",
            target_audience_size=400,
            lifecycle_stage="decline",
            business_goal="Build digital and data skills",
            strategic_fit=2,
            business_problem=(
                "Analysts needed better spreadsheet skills (now also covered by both libraries)."
            ),
            core=False,
            story=(
                "To sunset: attendance halves, reaction turns negative and the minimum-numbers "
                "clause keeps it over budget."
            ),
        ),
        ProductSpec(
            product=COMPLIANCE,
            category="compliance",
            vendor=vendor[COMPLIANCE],
            owner="Megan O'Connor",
            sponsor="General Counsel",
            target_audience="All employees",
            target_audience_size=len(current),
            lifecycle_stage="mature",
            business_goal="Stay compliant",
            strategic_fit=4,
            business_problem=(
                "Regulators and customers require every employee to complete conduct and data "
                "protection training each year."
            ),
            core=True,
            story=(
                "Everyone completes: at least 95% of staff each year, at a low cost per learner."
            ),
        ),
        ProductSpec(
            product=DATA_LITERACY,
            category="academy",
            vendor="",
            owner="Priya Nair",
            sponsor="CFO",
            target_audience="Analysts and team leads",
            target_audience_size=600,
            lifecycle_stage="growth",
            business_goal="Build digital and data skills",
            strategic_fit=4,
            business_problem=(
                "Decisions wait on a small central data team because few people can work with "
                "data themselves."
            ),
            core=False,
            story=(
                "Good evidence up to application on the job (level 3), no business measure yet."
            ),
        ),
        ProductSpec(
            product=MANAGER_ESSENTIALS,
            category="programme",
            vendor="",
            owner="Sofia Marin",
            sponsor="Chief People Officer",
            target_audience="New managers",
            target_audience_size=70,
            lifecycle_stage="mature",
            business_goal="Retain and grow our talent",
            strategic_fit=4,
            business_problem=(
                "New managers were left to learn the basics of managing people by trial and error."
            ),
            core=False,
            story="Steady, modest programme with level 1-3 evidence.",
        ),
        ProductSpec(
            product=WELLBEING,
            category="other",
            vendor="MindWell Partners",
            owner="Laura Bennett",
            sponsor="Chief People Officer",
            target_audience="All employees",
            target_audience_size=len(current),
            lifecycle_stage="mature",
            business_goal="Healthy, resilient workforce",
            strategic_fit=3,
            business_problem=("Stress-related absence rose after the reorganisation."),
            core=False,
            story=(
                "Well liked (reaction only); one cancelled workshop shows as a known zero in "
                "the budget."
            ),
        ),
        ProductSpec(
            product=SERVICE,
            category="academy",
            vendor="",
            owner="Daniel Okafor",
            sponsor="Customer Service Director",
            target_audience="Customer Service agents",
            target_audience_size=units["Customer Service"],
            lifecycle_stage="mature",
            business_goal="Improve customer experience",
            strategic_fit=4,
            business_problem=("Too many customers have to call back about the same issue."),
            core=True,
            story=(
                "Has impact evidence (fewer repeat contacts) but benefits cover only part of "
                "its cost: a candidate to fix."
            ),
        ),
        ProductSpec(
            product=MENTORING,
            category="other",
            vendor="",
            owner="Laura Bennett",
            sponsor="Chief People Officer",
            target_audience="High-potential employees",
            target_audience_size=150,
            lifecycle_stage="growth",
            business_goal="Retain and grow our talent",
            strategic_fit=4,
            business_problem=("High-potential staff leave when they cannot see a path to grow."),
            core=False,
            story=("Cheap and loved by a small group; August is a known-zero month."),
        ),
        ProductSpec(
            product=LANGUAGES,
            category="content_library",
            vendor=vendor[LANGUAGES],
            owner="Tom Adeyemi",
            sponsor="COO",
            target_audience="Staff working with EU customers and suppliers",
            target_audience_size=300,
            lifecycle_stage="growth",
            business_goal="Improve customer experience",
            strategic_fit=2,
            business_problem=(
                "Staff dealing with European customers and suppliers lack language confidence."
            ),
            core=False,
            story=("Contract paid, but the vendor never sent a usage report: usage not tracked."),
        ),
        ProductSpec(
            product=SKILLS_MARKETPLACE,
            category="platform",
            vendor="",
            owner="Laura Bennett",
            sponsor="Chief People Officer",
            target_audience="All employees",
            target_audience_size=len(current),
            lifecycle_stage="discovery",
            business_goal="Retain and grow our talent",
            strategic_fit=4,
            business_problem=(
                "People leave for roles elsewhere that could have been found inside Northwind."
            ),
            core=False,
            story=(
                "In discovery: the team is interviewing managers and leavers; nothing runs yet, "
                "so there is no budget, contract, usage or evidence to judge."
            ),
        ),
    ]
