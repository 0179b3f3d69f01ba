"""The Health and Wellbeing Board annual report: one edition per year, rebuilt from data and prose.

Every page is the template ``chapters/annual_report/section.ipynb`` run with the ``section`` the
board file gives its chapter; it calls :func:`show`, which builds the page from the board's
tables and the authors' prose for the period (``<board data folder>/prose/<period>/<section>.md``,
see :mod:`jsna.prose`). The sections' modules: :mod:`.board`, :mod:`.priorities`,
:mod:`.jsna_progress`, :mod:`.bcf`, :mod:`.looking_forward` and :mod:`.appendix`, on the core of
:mod:`.report`; :mod:`.sections` names them, :mod:`.review` makes the contents and review pages.
The BCF and strategy sections also serve other editions (a JSNA's Better Care Fund chapter),
where prose is shown only if some is written.

Every build checks what it publishes: prose rules, duplicated table rows, table numbers against
the data they came from, BCF streams against the stated total, and required data missing for the
year. In a final edition any open finding stops the build; in a draft the findings are listed on
the review page. A finding acknowledged in the board's ``qa_accepted.yml`` (matched as
:mod:`jsna.qa` matches them) blocks nothing and is listed on the review page as acknowledged.
Importing this package registers :func:`check_chapter` with :mod:`jsna.qa`, so that ``jsna
check`` reports the same findings.
"""

from __future__ import annotations

from jsna import qa
from jsna.chapters.annual_report.pages import TEMPLATE, build, check_chapter, show

__all__ = ["TEMPLATE", "build", "check_chapter", "show"]

qa.register(TEMPLATE, check_chapter)
