// Starts Swagger UI on /api/docs (beacon/web/api_docs.py). A file, not an inline script, so the
// page passes Beacon's Content-Security-Policy; the page says where the OpenAPI document is.
const root = document.getElementById("swagger-ui");

window.ui = SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null, // never send the document to swagger.io's online validator
  presets: [SwaggerUIBundle.presets.apis],
});
