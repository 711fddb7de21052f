using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EngagementSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EngagementSnapshots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PhysicianId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Week = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Network = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Excluded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Exists = table.Column<bool>(type: "INTEGER", nullable: true),
                    LastPostAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PostsIn30Days = table.Column<int>(type: "INTEGER", nullable: true),
                    PostsIn90Days = table.Column<int>(type: "INTEGER", nullable: true),
                    VideoPostsIn90Days = table.Column<int>(type: "INTEGER", nullable: true),
                    MutualFollow = table.Column<bool>(type: "INTEGER", nullable: true),
                    DisclaimerMissing = table.Column<bool>(type: "INTEGER", nullable: true),
                    TakenAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EngagementSnapshots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EngagementSnapshots_Physicians_PhysicianId",
                        column: x => x.PhysicianId,
                        principalTable: "Physicians",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EngagementSnapshots_OrganizationId_Week",
                table: "EngagementSnapshots",
                columns: new[] { "OrganizationId", "Week" });

            migrationBuilder.CreateIndex(
                name: "IX_EngagementSnapshots_PhysicianId_Network_Week",
                table: "EngagementSnapshots",
                columns: new[] { "PhysicianId", "Network", "Week" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EngagementSnapshots");
        }
    }
}
