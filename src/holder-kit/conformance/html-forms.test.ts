import { describe, expect, it } from 'vitest';
import { decodeEntities, pageText, parseForms } from './html-forms.js';

describe('parseForms', () => {
  it('reads action, method, fields and submit buttons, resolving the action against the page', () => {
    const html = `<form method=POST action="../oauth/login?x=1&amp;y=2">
      <input type="hidden" name="visit" value="a&quot;b">
      <input name='username' autocomplete=username>
      <input type="password" name="password" required>
      <input type="checkbox" name="remember" value="1">
      <button type="submit" name="decision" value="allow">Allow</button>
      <button name="decision" value="deny">Refuse</button>
      <button type="button">No name</button>
    </form>`;
    const [form] = parseForms(html, 'https://h.example/kit/oauth/authorize?q=1');
    expect(form).toEqual({
      action: 'https://h.example/kit/oauth/login?x=1&y=2',
      method: 'post',
      fields: [
        { name: 'visit', type: 'hidden', value: 'a"b' },
        { name: 'username', type: 'text', value: '' },
        { name: 'password', type: 'password', value: '' },
        { name: 'remember', type: 'checkbox', value: '1' },
      ],
      buttons: [
        { name: 'decision', value: 'allow' },
        { name: 'decision', value: 'deny' },
      ],
    });
  });

  it('defaults the action to the page and the method to get, and finds no form in plain text', () => {
    expect(parseForms('<form><input name=a></form>', 'https://h.example/p')[0]).toMatchObject({
      action: 'https://h.example/p',
      method: 'get',
    });
    expect(parseForms('<p>no form here</p>', 'https://h.example/')).toEqual([]);
  });
});

describe('page text', () => {
  it('decodes entities and drops tags, scripts and styles', () => {
    expect(decodeEntities('&lt;a&gt; &#233; &#xE9; &unknown;')).toBe('<a> é é &unknown;');
    expect(pageText('<style>x{}</style><h1>Bills <code>bill</code></h1><script>1</script>')).toBe(' Bills bill ');
  });
});
