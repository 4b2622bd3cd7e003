// CloudFront Function (cloudfront-js-2.0, viewer request) of the dashboard's API behaviours.
// The page calls its APIs under its own origin (/api/inventory/products, /api/reports/<id>);
// each API knows only its own paths (/products, /<id>), so the prefix is removed before the
// request goes on to the API's origin, whose origin path adds the API's stage.
// /api/reports alone becomes /, the report API's POST /.

var API_PREFIXES = ['/api/inventory', '/api/reports'];

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls it by name
function handler(event) {
  var request = event.request;
  for (var i = 0; i < API_PREFIXES.length; i++) {
    var prefix = API_PREFIXES[i];
    if (request.uri === prefix || request.uri.indexOf(prefix + '/') === 0) {
      request.uri = request.uri.slice(prefix.length) || '/';
      return request;
    }
  }
  return request;
}
