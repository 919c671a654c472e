using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ErpFunctions.Domain.Fingerprints;

/// <summary>
/// A short digest of amounts by key: two sets of the same amounts under the same keys give the same fingerprint, in any
/// order, whatever trailing zeros the amounts carry; a change to any one amount gives another. Offsetting changes, which
/// leave a total as it was, change it.
/// </summary>
public static class Fingerprint
{
    public static string Of(IEnumerable<(string Key, decimal Amount)> amounts)
    {
        var text = string.Join('\n', amounts
            .Select(a => $"{a.Key}={a.Amount.ToString("0.############################", CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
