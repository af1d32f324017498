using PortScan.Tests.Support;

namespace PortScan.Tests;

/// <summary>Removes <see cref="TestTemp.Root"/> after the last test: a SetUpFixture in the tests' root namespace runs once for all of them.</summary>
[SetUpFixture]
public sealed class TestTempCleanUp
{
    [OneTimeTearDown]
    public void RemoveRoot()
    {
        if (Directory.Exists(TestTemp.Root))
        {
            Directory.Delete(TestTemp.Root, recursive: true);
        }
    }
}
