using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using PortScan.Coordinator.Scanning;
using PortScan.Shared.Ports;

namespace PortScan.Coordinator.Output;

/// <summary>
/// <c>--format xml</c>, <c>-oX</c>: nmap's XML output format (xmloutputversion 1.05), valid against
/// nmap's own DTD, so tools that read nmap XML read portscan's. The DTD allows only
/// <c>scanner="nmap"</c>; portscan says who it is in <c>args</c>, <c>version</c> and the opening comment.
/// A banner goes where nmap puts what it learns of a service: the <c>service</c> element's
/// <c>extrainfo</c>, and a <c>script</c> element with the id of nmap's own banner script. With -sV an
/// open port's <c>service</c> is what version detection found, with nmap's attributes and <c>cpe</c>
/// elements. What the network did to a host is nmap's <c>times</c> element.
/// </summary>
public static class XmlReport
{
    public const string XmlOutputVersion = "1.05";

    private const string StylesheetPath = "/usr/share/nmap/nmap.xsl";

    public static void Write(TextWriter writer, ReportContext context)
    {
        // Written as bytes: over a TextWriter, XmlWriter would declare the writer's encoding
        // (UTF-16 for a StringWriter); a report is always UTF-8. Streamed, never built whole.
        var settings = new XmlWriterSettings { Indent = false, Encoding = new UTF8Encoding(false) };
        using var stream = new TextWriterStream(writer);
        using (var xml = XmlWriter.Create(stream, settings))
        {
            WriteDocument(xml, context);
        }
        writer.WriteLine();
    }

    private static void WriteDocument(XmlWriter xml, ReportContext context)
    {
        var result = context.Result;
        xml.WriteStartDocument();
        xml.WriteRaw("\n");
        xml.WriteDocType("nmaprun", null, null, null);
        xml.WriteRaw("\n");
        if (File.Exists(StylesheetPath))
        {
            // nmap links its stylesheet so a browser renders the report; only when it is installed.
            xml.WriteProcessingInstruction("xml-stylesheet", $"href=\"file://{StylesheetPath}\" type=\"text/xsl\"");
            xml.WriteRaw("\n");
        }
        // "--" may not appear in an XML comment; nmap writes "-&#45;" for it, and so do we.
        xml.WriteComment($" {context.Initiated.Replace("--", "-&#45;", StringComparison.Ordinal)} ");
        xml.WriteRaw("\n");
        xml.WriteStartElement("nmaprun");
        xml.WriteAttributeString("scanner", "nmap");
        xml.WriteAttributeString("args", context.CommandLine);
        xml.WriteAttributeString("start", NmapDates.Unix(result.StartedAt));
        xml.WriteAttributeString("startstr", NmapDates.Format(result.StartedAt));
        xml.WriteAttributeString("version", ProductVersion.Current);
        xml.WriteAttributeString("xmloutputversion", XmlOutputVersion);
        xml.WriteRaw("\n");

        var ports = result.Request.Ports;
        // A ping sweep scans no port, and nmap's -sn writes no scaninfo.
        foreach (var transport in result.PingSweep ? [] : ports.Transports)
        {
            // nmap's scan type names: -sT is "connect", -sU is "udp".
            Empty(xml, "scaninfo", ("type", transport == Transport.Tcp ? "connect" : "udp"), ("protocol", transport.ToWireName()),
                ("numservices", Number(ports[transport].Count)), ("services", ports[transport].ToString()));
        }
        Empty(xml, "verbose", ("level", "0"));
        Empty(xml, "debugging", ("level", "0"));

        // As nmap's --open: a host with no port that is or may be open has no element (runstats still counts it).
        foreach (var host in result.Hosts.Where(h => context.Shown.ShowsHost(h)))
        {
            xml.WriteStartElement("host");
            if (host.TimedOut)
            {
                xml.WriteAttributeString("timedout", "true");
            }
            xml.WriteStartElement("status");
            xml.WriteAttributeString("state", host.Up ? "up" : "down");
            xml.WriteAttributeString("reason", host.Reason.ToWireName());
            xml.WriteAttributeString("reason_ttl", "0");
            xml.WriteEndElement();
            xml.WriteRaw("\n");
            Empty(xml, "address", ("addr", host.Target.Address.ToString()),
                ("addrtype", host.Target.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4"));
            xml.WriteStartElement("hostnames");
            if (host.Target.HostName is { } name)
            {
                Empty(xml, "hostname", ("name", name), ("type", "user"));
            }
            xml.WriteEndElement();
            xml.WriteRaw("\n");

            if (result.PingSweep)
            {
                xml.WriteEndElement();
                xml.WriteRaw("\n");
                continue;
            }
            var listing = PortListing.Of(host, context.Shown);
            xml.WriteStartElement("ports");
            // nmap writes one extraports a state, and in it one extrareasons a reason and transport, with its ports.
            foreach (var state in listing.Folded.Select(f => f.State).Distinct())
            {
                var folds = listing.Folded.Where(f => f.State == state).ToList();
                xml.WriteStartElement("extraports");
                xml.WriteAttributeString("state", state.ToWireName());
                xml.WriteAttributeString("count", Number(folds.Sum(f => f.Count)));
                xml.WriteRaw("\n");
                foreach (var fold in folds)
                {
                    foreach (var (reason, reasonPorts) in fold.Reasons)
                    {
                        Empty(xml, "extrareasons", ("reason", reason.ToWireName()), ("count", Number(reasonPorts.Count)),
                            ("proto", fold.Transport.ToWireName()), ("ports", reasonPorts.ToString()));
                    }
                }
                xml.WriteEndElement();
                xml.WriteRaw("\n");
            }
            foreach (var port in listing.Listed)
            {
                xml.WriteStartElement("port");
                xml.WriteAttributeString("protocol", port.Transport.ToWireName());
                xml.WriteAttributeString("portid", Number(port.Port));
                xml.WriteStartElement("state");
                xml.WriteAttributeString("state", port.State.ToWireName());
                xml.WriteAttributeString("reason", port.Reason.ToWireName());
                xml.WriteAttributeString("reason_ttl", "0");
                xml.WriteEndElement();
                if (host.VersionScanned && port.State == PortState.Open)
                {
                    WriteService(xml, port, context.Services[port.Transport, port.Port]);
                }
                else if (context.Services[port.Transport, port.Port] is { } service || port.Banner is not null)
                {
                    // conf 3 and method "table": named from the services file, not probed, as nmap marks it.
                    xml.WriteStartElement("service");
                    xml.WriteAttributeString("name", context.Services[port.Transport, port.Port] ?? "unknown");
                    if (port.Banner is { } extrainfo)
                    {
                        xml.WriteAttributeString("extrainfo", extrainfo);
                    }
                    xml.WriteAttributeString("method", "table");
                    xml.WriteAttributeString("conf", "3");
                    xml.WriteEndElement();
                }
                if (port.Banner is { } banner)
                {
                    Empty(xml, "script", ("id", "banner"), ("output", banner));
                }
                xml.WriteEndElement();
                xml.WriteRaw("\n");
            }
            xml.WriteEndElement();
            xml.WriteRaw("\n");
            // The DTD puts times last in a host; nmap writes it, in microseconds, only once a round trip was timed.
            if (host.Network is { SrttMs: { } srtt, RttVarMs: { } rttVar } network)
            {
                Empty(xml, "times", ("srtt", Microseconds(srtt)), ("rttvar", Microseconds(rttVar)), ("to", Microseconds(network.TimeoutMs)));
            }
            xml.WriteEndElement();
            xml.WriteRaw("\n");
        }

        var finishedAt = context.FinishedAt;
        var up = result.Hosts.Count(h => h.Up);
        xml.WriteStartElement("runstats");
        Empty(xml, "finished",
            ("time", NmapDates.Unix(finishedAt)),
            ("timestr", NmapDates.Format(finishedAt)),
            ("summary", $"portscan done at {NmapDates.Format(finishedAt)}; {GrepableReport.Summary(result)}"),
            ("elapsed", result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)),
            ("exit", result.Complete ? "success" : "error"));
        Empty(xml, "hosts", ("up", Number(up)), ("down", Number(result.Hosts.Count - up)), ("total", Number(result.Hosts.Count)));
        xml.WriteEndElement();
        xml.WriteRaw("\n");
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    /// <summary>
    /// -sV's finding as nmap's print_xml_service writes it: the name (probed, else the services file's,
    /// else "unknown"), what the templates filled in, tunnel="ssl", method and conf, and one cpe element a CPE.
    /// A banner with no extra info of the service's own stays its extrainfo.
    /// </summary>
    private static void WriteService(XmlWriter xml, PortResult port, string? table)
    {
        var service = port.Service ?? DetectedService.Unmatched();
        xml.WriteStartElement("service");
        xml.WriteAttributeString("name", service.Name ?? table ?? "unknown");
        foreach (var (name, value) in new[]
        {
            ("product", service.Product), ("version", service.Version), ("extrainfo", service.ExtraInfo ?? port.Banner),
            ("hostname", service.Hostname), ("ostype", service.OsType), ("devicetype", service.DeviceType), ("tunnel", service.Tunnel),
        })
        {
            if (value is not null)
            {
                xml.WriteAttributeString(name, value);
            }
        }
        xml.WriteAttributeString("method", service.Method);
        xml.WriteAttributeString("conf", Number(service.Conf));
        foreach (var cpe in service.Cpe)
        {
            xml.WriteElementString("cpe", cpe);
        }
        xml.WriteEndElement();
    }

    private static void Empty(XmlWriter xml, string name, params (string Name, string Value)[] attributes)
    {
        xml.WriteStartElement(name);
        foreach (var (attribute, value) in attributes)
        {
            xml.WriteAttributeString(attribute, value);
        }
        xml.WriteEndElement();
        xml.WriteRaw("\n");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Microseconds(double milliseconds) => Math.Round(milliseconds * 1000).ToString("0", CultureInfo.InvariantCulture);
}
