namespace PortScan.Tests.Support;

/// <summary>Validates XML against nmap's own DTD with xmllint, as the issue asks; both come from Debian packages that .ci/run installs.</summary>
public static class NmapDtd
{
    public const string Path = "/usr/share/nmap/nmap.dtd";

    public static async Task<ProcessRun> ValidateAsync(string xmlFile)
    {
        if (!File.Exists(Path))
        {
            Assert.Ignore($"{Path} is not installed (apt-get install nmap)");
        }
        try
        {
            return await ProcessRun.RunAsync("xmllint", ["--noout", "--dtdvalid", Path, xmlFile], TimeSpan.FromSeconds(30));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("xmllint is not installed (apt-get install libxml2-utils)");
            throw;
        }
    }
}
