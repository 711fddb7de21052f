using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublishingRateLimitHoldsAndClaimIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ClaimId",
                table: "PostTarget",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RateLimitedUntil",
                table: "AccountConnection",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClaimId",
                table: "PostTarget");

            migrationBuilder.DropColumn(
                name: "RateLimitedUntil",
                table: "AccountConnection");
        }
    }
}
