from http import HTTPStatus


def test_liveness_over_http(demo):
    response = demo.get("/claims/health/liveness")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "UP"}
