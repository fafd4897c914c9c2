// swift-tools-version:6.0
// No SwiftPM package dependencies: C libraries come in as system library targets.
// Dependencies point inward: adapters (PostgresClient, RebateStore, RebateCLI) depend on the pure
// core modules, never the other way round. See docs/architecture.md.
import PackageDescription

let package = Package(
  name: "Rebate",
  products: [
    .executable(name: "rebate", targets: ["rebate"])
  ],
  targets: [
    // Pure core: no I/O, no Foundation.
    .target(name: "RebateCore"),
    .target(name: "PolicyFormat", dependencies: ["RebateCore"]),
    .target(name: "Pricing", dependencies: ["RebateCore", "PolicyFormat"]),
    .target(name: "Mechanics", dependencies: ["RebateCore"]),
    .target(name: "SellOut", dependencies: ["RebateCore"]),
    .target(
      name: "Policy",
      dependencies: ["RebateCore", "PolicyFormat", "Pricing", "Mechanics", "SellOut"]
    ),
    .target(
      name: "Close",
      dependencies: ["RebateCore", "Pricing", "Mechanics", "SellOut", "Policy"]
    ),
    .target(
      name: "Economics",
      dependencies: ["RebateCore", "Pricing", "Mechanics", "SellOut", "Policy", "Close"]
    ),
    .target(name: "DemoData", dependencies: ["RebateCore"]),

    // Adapters.
    .systemLibrary(
      name: "CLibPQ",
      pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]
    ),
    .target(name: "PostgresClient", dependencies: ["CLibPQ"]),
    .systemLibrary(
      name: "CMicroHTTPD",
      pkgConfig: "libmicrohttpd",
      providers: [.apt(["libmicrohttpd-dev"])]
    ),
    .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "RebateCore"]),
    .target(
      name: "RebateStore",
      dependencies: [
        "RebateCore", "PostgresClient", "Policy", "Pricing", "Mechanics", "SellOut", "Close",
        "Economics",
      ]
    ),
    .target(
      name: "RebateAPI",
      dependencies: [
        "RebateCore", "PolicyFormat", "Pricing", "Policy", "SellOut", "Close", "PostgresClient",
        "RebateStore", "HTTPServer",
      ]
    ),
    .target(
      name: "RebateCLI",
      dependencies: [
        "RebateCore", "PolicyFormat", "Pricing", "Mechanics", "SellOut", "Policy", "Close",
        "Economics", "DemoData",
        "PostgresClient", "RebateStore", "HTTPServer", "RebateAPI",
      ]
    ),
    .executableTarget(name: "rebate", dependencies: ["RebateCLI"]),

    .testTarget(name: "RebateCoreTests", dependencies: ["RebateCore"]),
    .testTarget(
      name: "PolicyTests",
      dependencies: ["RebateCore", "PolicyFormat", "Pricing", "Policy"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(name: "MechanicsTests", dependencies: ["RebateCore", "Mechanics"]),
    .testTarget(
      name: "EconomicsTests",
      dependencies: [
        "RebateCore", "Pricing", "Mechanics", "SellOut", "Policy", "Close", "Economics",
      ]
    ),
    .testTarget(
      name: "CloseTests",
      dependencies: ["RebateCore", "Pricing", "Mechanics", "SellOut", "Policy", "Close"]
    ),
    .testTarget(
      name: "SellOutTests",
      dependencies: ["RebateCore", "SellOut"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
    .testTarget(
      name: "APITests",
      dependencies: [
        "RebateCore", "PostgresClient", "RebateStore", "HTTPServer", "RebateAPI", "RebateCLI",
      ]
    ),
    .testTarget(
      name: "IntegrationTests",
      dependencies: [
        "RebateCore", "PostgresClient", "RebateStore", "RebateCLI", "DemoData", "Policy",
      ]
    ),
  ]
)
