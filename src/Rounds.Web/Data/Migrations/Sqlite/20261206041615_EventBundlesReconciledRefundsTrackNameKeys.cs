using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EventBundlesReconciledRefundsTrackNameKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MembershipEventTracks_EventId_Name",
                table: "MembershipEventTracks");

            migrationBuilder.AddColumn<Guid>(
                name: "BundleId",
                table: "MembershipRegistrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReconciledBy",
                table: "MembershipPendingRefunds",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReconciledNote",
                table: "MembershipPendingRefunds",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "BundleId",
                table: "MembershipOrderLines",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameKey",
                table: "MembershipEventTracks",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            // Tracks named alike but for case before the name key existed: every one after the first (by position,
            // then id) gets part of its id added to its name, so the key is unique before the index is built.
            migrationBuilder.Sql("""
                UPDATE "MembershipEventTracks" SET "Name" = SUBSTR("Name", 1, 88) || ' (' || SUBSTR(CAST("Id" AS TEXT), 1, 8) || ')'
                WHERE EXISTS (SELECT 1 FROM "MembershipEventTracks" AS o
                    WHERE o."EventId" = "MembershipEventTracks"."EventId" AND UPPER(o."Name") = UPPER("MembershipEventTracks"."Name")
                    AND (o."Position" < "MembershipEventTracks"."Position"
                        OR (o."Position" = "MembershipEventTracks"."Position" AND CAST(o."Id" AS TEXT) < CAST("MembershipEventTracks"."Id" AS TEXT))));
                """);
            migrationBuilder.Sql("""UPDATE "MembershipEventTracks" SET "NameKey" = UPPER("Name");""");

            migrationBuilder.CreateTable(
                name: "MembershipBundles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipBundles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipBundles_MembershipProducts_ProductId",
                        column: x => x.ProductId,
                        principalTable: "MembershipProducts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MembershipBundles_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipBundleItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BundleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipBundleItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipBundleItems_MembershipBundles_BundleId",
                        column: x => x.BundleId,
                        principalTable: "MembershipBundles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MembershipBundleItems_MembershipEvents_EventId",
                        column: x => x.EventId,
                        principalTable: "MembershipEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipRegistrations_OrderId_BundleId",
                table: "MembershipRegistrations",
                columns: new[] { "OrderId", "BundleId" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEventTracks_EventId_NameKey",
                table: "MembershipEventTracks",
                columns: new[] { "EventId", "NameKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipBundleItems_BundleId_EventId",
                table: "MembershipBundleItems",
                columns: new[] { "BundleId", "EventId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipBundleItems_EventId",
                table: "MembershipBundleItems",
                column: "EventId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipBundles_OrganizationId",
                table: "MembershipBundles",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipBundles_ProductId",
                table: "MembershipBundles",
                column: "ProductId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MembershipBundleItems");

            migrationBuilder.DropTable(
                name: "MembershipBundles");

            migrationBuilder.DropIndex(
                name: "IX_MembershipRegistrations_OrderId_BundleId",
                table: "MembershipRegistrations");

            migrationBuilder.DropIndex(
                name: "IX_MembershipEventTracks_EventId_NameKey",
                table: "MembershipEventTracks");

            migrationBuilder.DropColumn(
                name: "BundleId",
                table: "MembershipRegistrations");

            migrationBuilder.DropColumn(
                name: "ReconciledBy",
                table: "MembershipPendingRefunds");

            migrationBuilder.DropColumn(
                name: "ReconciledNote",
                table: "MembershipPendingRefunds");

            migrationBuilder.DropColumn(
                name: "BundleId",
                table: "MembershipOrderLines");

            migrationBuilder.DropColumn(
                name: "NameKey",
                table: "MembershipEventTracks");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEventTracks_EventId_Name",
                table: "MembershipEventTracks",
                columns: new[] { "EventId", "Name" },
                unique: true);
        }
    }
}
