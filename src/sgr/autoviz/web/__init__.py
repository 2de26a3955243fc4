"""AutoViz over HTTP: the `/v1/autoviz` API, its run registry and worker pool, and the web page at `/`."""

from sgr.autoviz.web.routes import UPLOAD_ROUTES, autoviz_lifespan, pages, router

__all__ = ["UPLOAD_ROUTES", "autoviz_lifespan", "pages", "router"]
