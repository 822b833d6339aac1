using Vireo.Configuration.Catalogue;
using K = Vireo.Configuration.Catalogue.NovaOptions.KeystoneAuthToken;

namespace Vireo.Configuration.Loading;

/// <summary>
/// [keystone_authtoken]: once any of auth_url, username, password or project_name is set the API
/// validates tokens against Keystone with the password plugin (keystoneauth1/identity/v3/password.py),
/// which needs all four; a half-filled section would otherwise make every request a 503.
/// </summary>
internal static class KeystoneRules
{
    private static readonly OptionDefinition[] Required = [K.AuthUrl, K.Username, K.Password, K.ProjectName];

    public static void Check(ResolvedValues values, List<ConfigDiagnostic> found)
    {
        if (!values.Valid(Required) || !values.Valid(K.AuthType))
        {
            return;
        }

        var set = Required.Where(o => !string.IsNullOrEmpty(values.String(o))).ToList();
        if (set.Count > 0)
        {
            foreach (var missing in Required.Except(set))
            {
                found.Add(ConfigRules.Error(DiagnosticCodes.KeystoneIncomplete, missing, values,
                    $"{missing.FullName} is not set, but [keystone_authtoken] is ({string.Join(", ", set.Select(o => o.Name))} set), and validating tokens against Keystone needs auth_url, username, password and project_name; set {missing.Name}, or remove the section to run without Keystone"));
            }
        }

        if (values.String(K.AuthType) is { } type && !string.Equals(type, "password", StringComparison.Ordinal))
        {
            found.Add(ConfigRules.Error(DiagnosticCodes.KeystoneAuthType, K.AuthType, values,
                $"{values.Describe(K.AuthType)} is not supported: Vireo authenticates to Keystone with the password plugin only; set auth_type = password"));
        }
    }
}
