global using NUnit.Framework;
global using PortScan.Shared.Ports;
global using Shouldly;

// The scanner is Linux-only (epoll, /proc, network namespaces), and so are its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
