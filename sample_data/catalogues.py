"""What the two libraries offer: the items learners open in the vendor reports.

Ids are stable (derived from the position in the list), so regenerating the
sample never renumbers content.
"""

from __future__ import annotations

from sample_data.libraries import Content

__all__ = ["LINKEDIN_CATALOGUE", "UDEMY_CATALOGUE"]

# Most popular first (the libraries draw with weights falling along the list).
_LINKEDIN: tuple[tuple[str, str, int], ...] = (
    ("Excel Essential Training (Microsoft 365)", "Course", 190),
    ("Time Management Fundamentals", "Course", 75),
    ("Communication Foundations", "Course", 60),
    ("Cybersecurity Awareness for Everyone", "Course", 45),
    ("Project Management Foundations", "Course", 150),
    ("Introduction to Generative AI", "Course", 55),
    ("How to run a meeting people want to attend", "Video", 4),
    ("Giving and receiving feedback", "Video", 5),
    ("Leading with Emotional Intelligence", "Course", 70),
    ("PowerPoint Essential Training", "Course", 160),
    ("Business Writing Fundamentals", "Course", 80),
    ("Power BI Essential Training", "Course", 210),
    ("Critical Thinking", "Course", 50),
    ("Become a Manager", "Learning Path", 620),
    ("Negotiation Foundations", "Course", 85),
    ("Managing Stress for Positive Change", "Course", 40),
    ("Presenting with confidence", "Video", 6),
    ("Strategic Thinking", "Course", 65),
    ("Customer Service Foundations", "Course", 90),
    ("Data Visualization Tips and Tricks", "Course", 120),
    ("Agile Foundations", "Course", 110),
    ("Finance for Non-Financial Managers", "Course", 100),
    ("Master Microsoft Excel", "Learning Path", 880),
    ("Coaching Skills for Managers", "Course", 60),
    ("Having Difficult Conversations", "Course", 45),
    ("Unconscious Bias", "Course", 40),
    ("Writing Email", "Course", 35),
    ("Microsoft Teams Essential Training", "Course", 95),
    ("Decision-Making Strategies", "Course", 55),
    ("Developing Executive Presence", "Course", 60),
    ("Learning Python", "Course", 150),
    ("Building Resilience", "Course", 35),
    ("Develop Your Leadership Skills", "Learning Path", 540),
    ("Prioritising your work", "Video", 3),
    ("Northwind values in action", "Video", 8),
)
_UDEMY: tuple[tuple[str, float, str], ...] = (
    ("Python for Data Analysis: Zero to Hero", 22.5, "Development"),
    ("The Practical SQL Bootcamp", 9.0, "Development"),
    ("AWS Solutions Architect Associate: Exam Prep", 27.0, "IT & Software"),
    ("Docker and Kubernetes: The Practical Guide", 23.5, "Development"),
    ("Terraform for Busy Engineers", 8.5, "IT & Software"),
    ("Git and GitHub in Depth", 6.0, "Development"),
    ("Modern TypeScript from the Ground Up", 15.0, "Development"),
    ("React: Build Real Projects", 40.5, "Development"),
    ("Azure Fundamentals AZ-900: Exam Prep", 10.0, "IT & Software"),
    ("Clean Code and Refactoring", 7.5, "Development"),
    ("CI/CD Pipelines with GitHub Actions", 5.5, "IT & Software"),
    ("Linux Command Line Essentials", 6.5, "IT & Software"),
    ("Data Engineering with Apache Spark", 18.0, "Development"),
    ("Machine Learning: Hands-On with scikit-learn", 31.0, "Development"),
    ("Security Fundamentals for Developers", 12.0, "IT & Software"),
    ("System Design for Working Engineers", 14.5, "Development"),
    ("REST APIs with FastAPI", 11.0, "Development"),
    ("Apache Kafka for Beginners", 8.0, "IT & Software"),
    ("dbt and the Modern Data Stack", 9.5, "Development"),
    ("Go: A Complete Developer's Guide", 24.0, "Development"),
    ("Prompt Engineering for Developers", 4.5, "Development"),
    ("Power BI for Analysts", 16.0, "Office Productivity"),
    ("Scrum Master Essentials", 6.0, "Business"),
    ("Observability with Prometheus and Grafana", 9.0, "IT & Software"),
    ("PostgreSQL Performance Tuning", 7.0, "Development"),
    ("Java Spring Boot Masterclass", 35.5, "Development"),
    ("Snowflake for Data Engineers", 10.5, "Development"),
    ("Ethical Hacking: Network Essentials", 15.5, "IT & Software"),
    ("Advanced Excel for Analysts", 12.5, "Office Productivity"),
    ("Technical Leadership: From Engineer to Lead", 5.0, "Business"),
)

LINKEDIN_CATALOGUE: tuple[Content, ...] = tuple(
    Content(str(2_840_113 + 7_919 * i), title, kind, minutes)
    for i, (title, kind, minutes) in enumerate(_LINKEDIN)
)
UDEMY_CATALOGUE: tuple[Content, ...] = tuple(
    Content(str(1_204_567 + 104_729 * i), title, "Course", round(hours * 60), category)
    for i, (title, hours, category) in enumerate(_UDEMY)
)
