// Renders /openapi.json with Swagger UI. "Try it out" sends the key typed into Authorize in a header, never a URL.
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    // No badge from the public validator: this page reaches no other origin.
    validatorUrl: null,
  });
});
