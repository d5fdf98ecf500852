using System.Security.Cryptography;
using System.Text;
using Participa.Storage;

namespace Participa.Api.Features.Receipts;

/// <summary>
/// The secret an author receives with a receipt and needs to appeal. Derived from the item (an HMAC under a key the
/// app keeps in its own table), so nothing more is stored per item and a retried submission gets the same code back.
/// </summary>
public sealed class AppealCodes(SecretStore secrets)
{
    // Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
    const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    Task<byte[]>? _key;

    public async Task<string> ForAsync(string processId, string itemId, CancellationToken cancellationToken)
    {
        var mac = HMACSHA256.HashData(await KeyAsync(cancellationToken), Encoding.UTF8.GetBytes(processId + "/" + itemId));
        // 80 bits: out of reach of guessing at any rate the API allows.
        var code = new StringBuilder(19);
        ulong bits = 0; int count = 0;
        foreach (var b in mac.AsSpan(0, 10))
        {
            bits = bits << 8 | b; count += 8;
            while (count >= 5)
            {
                count -= 5;
                if (code.Length is 4 or 9 or 14) code.Append('-');
                code.Append(Alphabet[(int)(bits >> count) & 31]);
            }
        }
        return code.ToString();
    }

    public async Task<bool> VerifyAsync(string processId, string itemId, string? code, CancellationToken cancellationToken)
    {
        if (code is null || code.Length > 64) return false;
        var given = Normalize(code);
        var expected = Normalize(await ForAsync(processId, itemId, cancellationToken));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(expected));
    }

    /// <summary>Case, dashes and spaces do not matter; O, I and L read as the digits they resemble.</summary>
    static string Normalize(string code) => new(code.ToUpperInvariant()
        .Where(c => c is not ('-' or ' '))
        .Select(c => c switch { 'O' => '0', 'I' or 'L' => '1', _ => c })
        .ToArray());

    Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        var key = _key;
        if (key is { IsCompletedSuccessfully: true }) return key;
        // A failed read (storage down) is not remembered: the next call tries again.
        return _key = secrets.GetOrCreateAsync("appeal-codes", cancellationToken);
    }
}
