using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ErpFunctions.Operators;

/// <summary>An operator signed in through the page: their own Procore token, until it expires.</summary>
public sealed record OperatorSession(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>A sign-in this browser started: the <c>state</c> Procore must send back, and where it was to come back to.</summary>
public sealed record PendingSignIn(string State, string RedirectUri, DateTimeOffset ExpiresAt);

/// <summary>
/// Seals sessions and pending sign-ins into cookie values with ASP.NET Core Data Protection (encrypted and signed,
/// keys shared by every instance through the storage account), and opens them again: a value that was tampered with,
/// sealed for another purpose or has expired opens as nothing.
/// </summary>
public sealed class OperatorSessions(IDataProtectionProvider protection, TimeProvider time)
{
    private readonly IDataProtector sessions = protection.CreateProtector("ErpFunctions.Operators.Session.v1");
    private readonly IDataProtector signIns = protection.CreateProtector("ErpFunctions.Operators.SignIn.v1");

    public string Seal(OperatorSession session) => sessions.Protect(JsonSerializer.Serialize(session));

    public OperatorSession? Open(string? value) => Open<OperatorSession>(sessions, value) is { } session && session.ExpiresAt > time.GetUtcNow()
        ? session
        : null;

    public string Seal(PendingSignIn signIn) => signIns.Protect(JsonSerializer.Serialize(signIn));

    public PendingSignIn? OpenSignIn(string? value) => Open<PendingSignIn>(signIns, value) is { } signIn && signIn.ExpiresAt > time.GetUtcNow()
        ? signIn
        : null;

    private static T? Open<T>(IDataProtector protector, string? value) where T : class
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(protector.Unprotect(value));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
