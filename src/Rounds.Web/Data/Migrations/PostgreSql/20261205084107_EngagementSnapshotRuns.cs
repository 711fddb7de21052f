using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Week = table.Column<DateOnly>(type: "date", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HeldBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    HeldUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Physicians = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Network = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    Done = table.Column<int>(type: "integer", nullable: false),
                    Read = table.Column<int>(type: "integer", nullable: false),
                    Unreadable = table.Column<int>(type: "integer", nullable: false),
                    LastNpi = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false)
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
