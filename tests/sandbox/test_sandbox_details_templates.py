"""Template refusals word for word, as a manager saving the Template reads them."""

import pytest

from objweb.content import Template
from objweb.errors import SourceError


@pytest.mark.parametrize("source, message", [
    ("<?python x = 1 ?><p>x</p>",
     "<?python ?> blocks are not allowed in templates (line 1, column 3)"),
    ("<p>\n  <?python x = 1 ?></p>",
     "<?python ?> blocks are not allowed in templates (line 2, column 5)"),
])
def test_a_template_refusal_says_why_and_where(source, message):
    with pytest.raises(SourceError) as caught:
        Template(source=source)
    assert (str(caught.value), caught.value.field) == (message, "source")
