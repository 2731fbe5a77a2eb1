import { describe, expect, it } from 'vitest';
import { SecretPieceSearch } from '../../src/upstream/secret-pieces.js';

const KEY = 'Sup3rSecretPassw0rd!';
const search = new SecretPieceSearch([KEY]);
const found = (text: string, within = search): string[] => within.find(text).map(([start, end]) => text.slice(start, end));

describe('SecretPieceSearch: each character passed over, and each one not', () => {
  it.each(['\\n', '\\r', '\\t', '\\f', '\\v', "\\'", ' ', '\t', '\n', '\r', '\f', '\v', "'", '`', '+'])('passes over %j inside a piece', (inside) => {
    const split = `Sup3rS${inside}ecretP`;
    expect(found(`<${split}>`)).toEqual([split]);
  });

  it.each(['%09', '%0A', '%0B', '%0C', '%0D', '%20', '%22', '%27', '%60', '%2B', '%0a', '%2b'])('passes over the URL escape %s inside a piece', (inside) => {
    const split = `Sup3rS${inside}ecretP`;
    expect(found(`<${split}>`)).toEqual([split]);
  });

  it.each(['\\x', '\\\\', '\\b', '%41', '%0', '%', '-x', '--', 'é', '\u0080', '""', '\\"\\"'])('does not pass over %j', (inside) => {
    expect(found(`<Sup3rS${inside}ecretP>`)).toEqual([]);
  });

  // A quote, bare or escaped, is passed over between two ASCII letters or digits only: the edges of each range, and the characters beside them.
  it.each([...'!#$&()*,-./:;<=>?@[]^_{|}~'])('passes over %j between two letters or digits when no secret holds it, and not beside anything else', (joiner) => {
    const plain = new SecretPieceSearch(['Sup3rSecretPassw0rd']);
    expect(found(` Sup3rS${joiner}ecretP `, plain)).toEqual([`Sup3rS${joiner}ecretP`]);
    expect(found(` Sup3${joiner}rSe${joiner}cretP `, plain)).toEqual([`Sup3${joiner}rSe${joiner}cretP`]);
    // A space or two beside it, on either side or both (`4 -LmT`): passed over too; three, or a quote or bracket, not.
    expect(found(` Sup3rS${joiner} ecretP `, plain)).toEqual([`Sup3rS${joiner} ecretP`]);
    expect(found(` Sup3rS ${joiner}ecretP `, plain)).toEqual([`Sup3rS ${joiner}ecretP`]);
    expect(found(` Sup3rS \n${joiner}\t\recretP `, plain)).toEqual([`Sup3rS \n${joiner}\t\recretP`]);
    expect(found(` Sup3rS   ${joiner}ecretP `, plain)).toEqual([]);
    expect(found(` Sup3rS${joiner}   ecretP `, plain)).toEqual([]);
    expect(found(` Sup3rS"${joiner}ecretP `, plain)).toEqual([]);
    expect(found(` Sup3rS${joiner} "ecretP `, plain)).toEqual([]);
    // A secret holding it counts it wherever it stands: "Secret-Key-42" is no piece of "secret key".
    const holding = new SecretPieceSearch([`Se${joiner}cret${joiner}Key${joiner}42`]);
    expect(found(` Sec${joiner}retKey${joiner}42 `, holding)).toEqual([]);
    expect(found(` cret${joiner}Key${joiner}42 `, holding)).toEqual([`cret${joiner}Key${joiner}42`]);
  });

  it.each(['0', '9', 'A', 'Z', 'a', 'z'])('passes over a double quote, bare or escaped, between two %j', (edge) => {
    const secret = new SecretPieceSearch([`Kq7!${edge}${edge}Zw4#`]);
    for (const quote of ['"', '\\"']) expect(found(`<Kq7!${edge}${quote}${edge}Zw4#>`, secret)).toEqual([`Kq7!${edge}${quote}${edge}Zw4#`]);
  });

  it.each(['/', ':', '@', '[', '{', '~', 'é'])('does not pass over a double quote, bare or escaped, beside %j', (beside) => {
    const secret = new SecretPieceSearch([`Kq7!x${beside}Zw4#`, `Kq7!${beside}xZw4#`]);
    for (const quote of ['"', '\\"']) {
      expect(found(`<Kq7!x${quote}${beside}Zw4#>`, secret)).toEqual([]);
      expect(found(`<Kq7!${beside}${quote}xZw4#>`, secret)).toEqual([]);
    }
  });

  it('counts a backslash or percent sign that is part of the secret', () => {
    const odd = new SecretPieceSearch(['ab\\cd%ef12']);
    expect(found('x ab\\cd%ef12 y', odd)).toEqual(['ab\\cd%ef12']);
  });
});

describe('SecretPieceSearch: case, words, and spans', () => {
  it('folds A to Z and only them', () => {
    const edges = new SecretPieceSearch(['AZ@[`{09AZ']);
    expect(found('az@[`{09az', edges)).toEqual(['az@[`{09az']);
    expect(found('AZ`[@{09AZ', edges)).toEqual([]);
  });

  it('leaves a secret of a, z, "-", "_" and "." only to the whole search, and looks for one with any other character', () => {
    const wordy = new SecretPieceSearch(['a-z_.a-z_.a']);
    expect(found('a-z_.a-z_.a', wordy)).toEqual([]);
    for (const other of ['@', '{', ',', '/', '^', 'A']) {
      const secret = `a-z_${other}a-z_.`;
      expect(found(`(${secret})`, new SecretPieceSearch([secret]))).toEqual([secret]);
    }
  });

  it('keeps two pieces side by side apart, and one piece overlapping another as one', () => {
    const eight = KEY.slice(0, 8);
    expect(search.find(`${eight}${eight}`)).toEqual([
      [0, 8],
      [8, 16],
    ]);
    expect(search.find(`${KEY.slice(0, 10)}`)).toEqual([[0, 10]]);
    expect(search.find(`${KEY.slice(0, 10)} ${KEY.slice(12)}`)).toEqual([
      [0, 10],
      [11, 19],
    ]);
  });

  it('finds pieces of a secret outside Latin-1, and of several secrets', () => {
    const both = new SecretPieceSearch(['Пароль12345678', 'ĀāĂăĄąĆć99', 'Other9Secret']);
    expect(found('x Пароль12 y', both)).toEqual(['Пароль12']);
    expect(found('x ĀāĂăĄąĆć y', both)).toEqual(['ĀāĂăĄąĆć']);
    expect(found('x r9Secret y', both)).toEqual(['r9Secret']);
  });

  it('finds a piece at the very start and end of the text, and none in a text shorter than a piece', () => {
    expect(found(KEY.slice(12))).toEqual([KEY.slice(12)]);
    expect(found(KEY.slice(12, 19))).toEqual([]);
    expect(new SecretPieceSearch([]).find(KEY)).toEqual([]);
    expect(new SecretPieceSearch(['short1A']).find('short1A short1A')).toEqual([]);
  });
});

describe('SecretPieceSearch: a secret holding U+0100, whose byte in the sampled grams is its two bytes mixed', () => {
  it.each(['', '-', '--', '---'])('finds its piece after %j (each place of the sampled gram)', (before) => {
    const secret = 'Pw9xĀ5kQ';
    expect(found(`${before}${secret}`, new SecretPieceSearch([secret]))).toEqual([secret]);
  });
});
