using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EngagementSnapshotRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EngagementSnapshotRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Week = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HeldBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    HeldUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Physicians = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EngagementSnapshotRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EngagementSnapshotRuns_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EngagementRunNetworks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Network = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    Read = table.Column<int>(type: "INTEGER", nullable: false),
                    Unreadable = table.Column<int>(type: "INTEGER", nullable: false),
                    LastNpi = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EngagementRunNetworks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EngagementRunNetworks_EngagementSnapshotRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "EngagementSnapshotRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EngagementRunNetworks_RunId_Network",
                table: "EngagementRunNetworks",
                columns: new[] { "RunId", "Network" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EngagementSnapshotRuns_OrganizationId_Week",
                table: "EngagementSnapshotRuns",
                columns: new[] { "OrganizationId", "Week" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EngagementRunNetworks");

            migrationBuilder.DropTable(
                name: "EngagementSnapshotRuns");
        }
    }
}
