import httpx


def test_health_reports_database_up(http: httpx.Client) -> None:
    response = http.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_openapi_documents_the_device_webhook(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    assert "/api/webhook/device-event" in paths
    assert "/api/webhook/device-events" in paths
    assert http.get("/docs").status_code == 200
