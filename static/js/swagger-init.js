// Starts Swagger UI on /api/docs/ from the data attributes of #swagger-ui (see
// templates/drf_spectacular/swagger_ui.html). "Try it out" requests that change data carry the
// CSRF token, since the page is used with the signed-in session.
"use strict";

(() => {
  const root = document.getElementById("swagger-ui");
  const settings = JSON.parse(root.dataset.settings || "{}");
  const csrfHeader = root.dataset.csrfHeader;
  const csrfToken = root.dataset.csrfToken;

  const withCsrf = (request) => {
    if (request.method && request.method !== "GET" && csrfHeader && csrfToken) {
      request.headers[csrfHeader] = csrfToken;
    }
    return request;
  };

  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: withCsrf,
    ...settings,
  });
})();
