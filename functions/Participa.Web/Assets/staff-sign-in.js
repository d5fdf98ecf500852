// Staff sign-in with Entra ID from the browser: authorization code with PKCE against a SPA redirect URI, so no client
// secret exists anywhere. The access token goes straight to /staff/session, which validates it and keeps it in an
// HttpOnly cookie; this script never stores it. docs/staff.md explains the choice.
(() => {
  const box = document.getElementById('sign-in');
  const status = document.getElementById('sign-in-status');
  const failed = document.currentScript.dataset.failed;
  const c = box.dataset;
  const b64url = bytes => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const random = n => b64url(crypto.getRandomValues(new Uint8Array(n)));
  const fail = () => { status.textContent = failed; };

  async function start() {
    const verifier = random(32), state = random(16);
    const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    sessionStorage.setItem('participa.sign-in', JSON.stringify({ verifier, state, back: c.return }));
    location.assign(`${c.authority}/oauth2/v2.0/authorize?` + new URLSearchParams({
      client_id: c.clientId, response_type: 'code', response_mode: 'query', redirect_uri: c.redirectUri,
      scope: `${c.scope} openid profile`, state, code_challenge: challenge, code_challenge_method: 'S256',
    }));
  }

  async function finish() {
    const query = new URLSearchParams(location.search);
    const saved = JSON.parse(sessionStorage.getItem('participa.sign-in') || 'null');
    sessionStorage.removeItem('participa.sign-in');
    if (!saved || !query.get('code') || query.get('state') !== saved.state) return fail();
    const response = await fetch(`${c.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: c.clientId, grant_type: 'authorization_code', code: query.get('code'),
        redirect_uri: c.redirectUri, code_verifier: saved.verifier, scope: c.scope,
      }),
    });
    const body = response.ok ? await response.json() : null;
    if (!body || !body.access_token) return fail();
    const form = document.getElementById('session');
    form.elements.token.value = body.access_token;
    form.elements.return.value = saved.back;
    form.submit();
  }

  if (c.callback === 'true') finish().catch(fail);
  else document.getElementById('sign-in-start').addEventListener('click', () => start().catch(fail));
})();
