"""The web layer's findings of the second security review (issue 12), one test each.

Each test is named after its finding and drives the door the reviewer used,
through HTTP; the siblings of each finding are tested beside the door they
belong to.
"""

import json

import objweb
from objweb import File
from support import ADMIN_AUTH

LISTED = "text/plain, text/html"


def test_finding_09_listed_content_type_is_not_served_as_html(app, sample):
    # Every door that stores a content type refuses the list a browser reads as HTML.
    app.put("/news/evil", b"<script>alert(1)</script>",
            headers={**ADMIN_AUTH, "Content-Type": LISTED}, status=400)
    app.post("/news", json.dumps({"@type": "File", "id": "evil", "content_type": LISTED}),
             headers={**ADMIN_AUTH, "Content-Type": "application/json"}, status=400)
    app.patch("/news/report", json.dumps({"content_type": LISTED}),
              headers={**ADMIN_AUTH, "Content-Type": "application/json"}, status=400)
    with objweb.site(sample) as root:
        assert "evil" not in root["news"]
        assert root["news"]["report"].content_type == "application/pdf"
        # A value stored before types were parsed is served as an attachment of bytes.
        root["news"]["old"] = File(data=b"<script>alert(1)</script>")
        root["news"]["old"].content_type = LISTED
    response = app.get("/news/old", status=200)
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
