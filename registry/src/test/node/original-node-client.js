/*
 * What the original Node client (service-registry-client 0.1.x/0.2.x) does against a registry, with the
 * libraries it really uses: keystone-client 0.3.x authenticates and finds the tenant id (getTenantIdAndToken,
 * as the client's lib/base.js calls it), then rackspace-shared-utils' request sends GET /views/overview the way
 * the client's views.getOverview does and reads `values` from the answer, as its _list does.
 *
 * Usage: node original-node-client.js <registry base url> <username> <api key>
 * Prints one JSON line {tenantId, token, expires, overview}; any failure (a TypeError in keystone-client
 * included) exits non-zero.
 */
var KeystoneClient = require('keystone-client').KeystoneClient;
var request = require('rackspace-shared-utils/lib/request');

var base = process.argv[2], username = process.argv[3], apiKey = process.argv[4];
var keystone = new KeystoneClient(base + '/v2.0', {'username': username, 'apiKey': apiKey, 'cacheTokenFor': 600});

keystone.getTenantIdAndToken({'refreshAuthToken': false}, function(err, result) {
  if (err) {
    console.error('authentication failed: ' + (err.stack || err));
    process.exit(2);
  }
  var options = {
    'expected_status_codes': [200],
    'return_response': true,
    'parse_json': true,
    'headers': {'X-Auth-Token': result.token, 'User-Agent': 'node-service-registry-client/v0.2.0',
                'Content-Type': 'application/json'}
  };
  request.request(base + '/v1.0/' + result.tenantId + '/views/overview', 'GET', null, options, function(err, res) {
    if (err) {
      console.error('overview failed: ' + (err.stack || err) + ' ' + JSON.stringify(res && res.body));
      process.exit(3);
    }
    console.log(JSON.stringify({'tenantId': result.tenantId, 'token': result.token, 'expires': result.expires,
                                'overview': res.body.values}));
  });
});
